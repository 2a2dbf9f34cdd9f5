package group_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/group"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestStore writes, reads, lists and updates groups on PostgreSQL and
// SQLite, reading the rows back from the database.
func TestStore(t *testing.T) {
	for name, sqlite := range map[string]bool{"postgres": false, "sqlite": true} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d := backendtest.New(t, backendtest.Options{SQLite: sqlite}).App.DB
			s := group.NewStore(d)
			b := &model.Group{ID: uuid.New(), Name: model.Ptr("b"), Data: model.JSON{"n": 1.0, "deep": map[string]any{"x": "y"}}}
			a := &model.Group{ID: uuid.New(), Name: model.Ptr("a")}
			c := &model.Group{ID: uuid.New(), Name: model.Ptr("c")}
			for _, g := range []*model.Group{b, a, c} {
				if err := s.Create(ctx, g); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Create(ctx, &model.Group{ID: a.ID}); err == nil {
				t.Error("a second group with a taken id was created")
			}

			gs, total, err := s.List(ctx, 2, 2)
			if err != nil || total != 3 || len(gs) != 1 || *gs[0].Name != "c" {
				t.Errorf("page 2 of 2 = %+v (total %d, %v); want [c] of 3", gs, total, err)
			}

			got, err := s.Get(ctx, b.ID)
			if err != nil || *got.Name != "b" || got.Data["deep"].(map[string]any)["x"] != "y" {
				t.Fatalf("Get = %+v, %v", got, err)
			}
			if _, err := s.Get(ctx, uuid.New()); !errors.Is(err, group.ErrNotFound) {
				t.Errorf("Get of a missing id: %v, want ErrNotFound", err)
			}
			for id, want := range map[uuid.UUID]bool{a.ID: true, uuid.New(): false} {
				if ok, err := s.Exists(ctx, id); err != nil || ok != want {
					t.Errorf("Exists(%s) = %v, %v; want %v", id, ok, err, want)
				}
			}

			got.Name = nil
			got.Data = model.DeepMerge(got.Data, map[string]any{"deep": map[string]any{"z": "w"}})
			if err := s.Save(ctx, got); err != nil {
				t.Fatal(err)
			}
			again, err := s.Get(ctx, b.ID)
			if err != nil || again.Name != nil || again.Data["deep"].(map[string]any)["x"] != "y" || again.Data["deep"].(map[string]any)["z"] != "w" {
				t.Errorf("after Save: %+v, %v", again, err)
			}
		})
	}
}
