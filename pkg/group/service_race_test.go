package group_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/group"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// A group PUT merging metadata while another one is being committed (held
// open, testdb.WhileHeld) merges into the metadata that one wrote: both
// keys stay.
func TestServiceUpdateMergesIntoAnUpdateCommittedMeanwhile(t *testing.T) {
	ctx := context.Background()
	d := backendtest.New(t, backendtest.Options{}).App.DB
	svc := group.NewService(group.NewStore(d))
	g := &model.Group{ID: uuid.New(), Name: model.Ptr("g"), Data: model.JSON{"old": 1.0}}
	testdb.Insert(t, d, g)
	first := func(ctx context.Context) error {
		loaded, err := svc.Get(ctx, g.ID)
		if err != nil {
			return err
		}
		_, err = svc.Update(ctx, loaded, group.Request{Metadata: map[string]any{"first": 1.0}})
		return err
	}
	waited, err := testdb.WhileHeld(t, d, first, func() error {
		loaded, err := svc.Get(ctx, g.ID)
		if err != nil {
			return err
		}
		_, err = svc.Update(ctx, loaded, group.Request{Metadata: map[string]any{"second": 1.0}})
		return err
	})
	if err != nil || !waited {
		t.Fatalf("second update: %v (waited for the first: %v)", err, waited)
	}
	got := testdb.Reload[model.Group](t, d, g.ID)
	for _, k := range []string{"old", "first", "second"} {
		if _, ok := got.Data[k]; !ok {
			t.Fatalf("metadata %v lost %q", got.Data, k)
		}
	}
}
