package quarantine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// Creates sent together when one place is left in the list: one goes in,
// the others get the bound's 400, and the list never passes MaxEntries.
// Creates of one pattern together: one goes in, the others get the
// "already quarantined" 400 (not the unique index's error).
func TestCreatesTogetherKeepTheBoundAndThePatterns(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		now := time.Now()
		fill := make([]any, 0, MaxEntries-1)
		for i := range MaxEntries - 1 {
			p := fmt.Sprintf("tests.filler.test_%d", i)
			fill = append(fill, &Entry{ID: uuid.New(), ProjectID: f.mine, Pattern: p, Match: p, Reason: "r", Created: now, Updated: now})
		}
		testdb.Insert(t, d, fill...)
		testdb.WarmPool(t, d, 4)

		for round := range 10 {
			same := fmt.Sprintf("tests.same.test_%d", round)
			errs := testdb.Together(8, func(int) error {
				_, err := f.svc.Create(ctx, f.theirOwner, f.theirs, CreateRequest{Pattern: &same, Reason: model.Ptr("r")})
				return err
			})
			checkOneIn(t, errs, same+"\" is already quarantined")
			if n := testdb.Count(t, d, "ibutsu_quarantine", "project_id = ? AND pattern = ?", f.theirs, same); n != 1 {
				t.Fatalf("%d entries of one pattern, want 1", n)
			}
		}

		errs := testdb.Together(8, func(i int) error {
			_, err := f.svc.Create(ctx, f.owner, f.mine, CreateRequest{Pattern: model.Ptr(fmt.Sprintf("tests.last.test_%d", i)), Reason: model.Ptr("r")})
			return err
		})
		checkOneIn(t, errs, fmt.Sprintf("at most %d patterns", MaxEntries))
		if n := testdb.Count(t, d, "ibutsu_quarantine", "project_id = ?", f.mine); n != MaxEntries {
			t.Fatalf("%d entries, want the bound %d", n, MaxEntries)
		}
	})
}

// checkOneIn: one call succeeded, the others failed with an apperr whose
// message contains refusal.
func checkOneIn(t *testing.T, errs []error, refusal string) {
	t.Helper()
	in := 0
	for i, err := range errs {
		if err == nil {
			in++
			continue
		}
		if e, ok := apperr.As(err); !ok || !strings.Contains(e.Message, refusal) {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	if in != 1 {
		t.Fatalf("%d creates went in, want 1", in)
	}
}

// Two owners changing different fields of one entry together both keep
// their change: the second (held back by the first's open transaction,
// testdb.WhileHeld) merges into the entry as the first left it, not into
// the copy it would have read before.
func TestUpdatesTogetherKeepBothFields(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		e, err := f.svc.Create(ctx, f.owner, f.mine, CreateRequest{Pattern: model.Ptr("tests.a.*"), Reason: model.Ptr("old")})
		if err != nil {
			t.Fatal(err)
		}
		first := func(ctx context.Context) error {
			_, err := f.svc.Update(ctx, f.owner, f.mine, e.ID, UpdateRequest{Reason: model.Ptr("new reason")})
			return err
		}
		waited, err := testdb.WhileHeld(t, d, first, func() error {
			_, err := f.svc.Update(ctx, f.owner, f.mine, e.ID, UpdateRequest{Owner: model.Nullable[string]{Set: true, Value: model.Ptr("someone@example.com")}})
			return err
		})
		if err != nil || !waited {
			t.Fatalf("second update: %v (waited for the first: %v)", err, waited)
		}
		got, err := f.svc.Get(ctx, f.owner, f.mine, e.ID)
		if err != nil || got.Reason != "new reason" || got.Owner == nil || *got.Owner != "someone@example.com" {
			t.Fatalf("entry %+v %v, want both changes", got, err)
		}
	})
}
