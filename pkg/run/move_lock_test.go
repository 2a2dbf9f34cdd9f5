package run

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// A PUT /run that moves a run to another project while POST
// /results/bulk-update changes two of its results: neither may be aborted
// as a deadlock. The bulk update locks its rows in id order; the move's
// UPDATE of the run's results locked them in the order it scanned them,
// here the higher id first (stored first, earlier start time, lower test
// id: first in every index on run_id and in the heap). The order is
// forced: a third transaction holds the lower id, the bulk update waits
// for it, the move then waits for it too; once it is let go, the bulk
// update took it and waited for the higher one, which the move held while
// waiting for the lower: PostgreSQL aborted one of them with 40P01. With
// the move locking the run's results in id order first, the bulk update
// finishes and the move carries both results, metadata and all.
func TestMoveAndBulkUpdateOfItsResults(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := testdb.NewTenants(t, d)
		admin := &model.User{ID: uuid.New(), Email: "admin@example.com", IsActive: true, IsSuperadmin: true}
		runs := newTestService(d)
		results := result.NewService(d, project.NewStore(d), nil, quiet)
		defer results.Close()
		lo, hi := uuid.New(), uuid.New()
		if bytes.Compare(lo[:], hi[:]) > 0 {
			lo, hi = hi, lo
		}
		now := time.Now().UTC().Truncate(time.Second)
		run := &model.Run{ID: uuid.New(), ProjectID: &ts.Mine, StartTime: now, Created: now, Data: model.JSON{}, Summary: model.JSON{}}
		testdb.Insert(t, d, admin, run,
			&model.Result{ID: hi, ProjectID: &ts.Mine, RunID: &run.ID, TestID: model.Ptr("a"), StartTime: now, Data: model.JSON{}, Params: model.JSON{}},
			&model.Result{ID: lo, ProjectID: &ts.Mine, RunID: &run.ID, TestID: model.Ptr("b"), StartTime: now.Add(time.Second), Data: model.JSON{}, Params: model.JSON{}})
		waits := testdb.WatchLockWaits(t, d)

		release := testdb.Hold(t, d, func(ctx context.Context) error {
			return d.Conn(ctx).Exec(`SELECT id FROM results WHERE id = ? FOR UPDATE`, lo).Error
		})
		bulk, bulkDone := make(chan error, 1), make(chan struct{})
		go func() {
			defer close(bulkDone)
			_, err := results.BulkUpdate(ctx, ts.Member, []uuid.UUID{lo, hi}, map[string]any{"triaged": "yes"})
			bulk <- err
		}()
		if !waits.Await(t, 1, bulkDone) {
			_ = release()
			t.Fatalf("the bulk update did not wait for the held result (%v)", <-bulk)
		}
		theirs := ts.Theirs.String()
		moved, moveDone := make(chan error, 1), make(chan struct{})
		go func() {
			defer close(moveDone)
			_, err := runs.Update(ctx, admin, run.ID, UpdateRequest{ProjectID: &theirs})
			moved <- err
		}()
		if !waits.Await(t, 2, moveDone) {
			_ = release()
			t.Fatalf("the move did not wait for the results (%v)", <-moved)
		}
		if err := release(); err != nil {
			t.Fatal(err)
		}
		if berr, merr := <-bulk, <-moved; berr != nil || merr != nil {
			t.Fatalf("bulk update: %v; move: %v; want both to succeed", berr, merr)
		}
		for _, id := range []uuid.UUID{lo, hi} {
			r := testdb.Reload[model.Result](t, d, id)
			if r.ProjectID == nil || *r.ProjectID != ts.Theirs || r.Data["triaged"] != "yes" {
				t.Errorf("result %s: project %v, metadata %v; want the moved run's project and the bulk update's key", id, r.ProjectID, r.Data)
			}
		}
	})
}
