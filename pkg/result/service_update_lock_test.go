package result_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// orderedRuns is two fresh run ids, the first below the second in
// PostgreSQL's uuid order (byte order), so a test knows which of two runs
// a lock taken "in id order" takes first.
func orderedRuns() (lo, hi uuid.UUID) {
	a, b := uuid.New(), uuid.New()
	if bytes.Compare(a[:], b[:]) > 0 {
		a, b = b, a
	}
	return a, b
}

// insertTwoRunsAndAResult stores runs from and into in project, and
// result res (of status, nil: none) in from: a result a test moves.
func insertTwoRunsAndAResult(t *testing.T, d *db.DB, project, from, into, res uuid.UUID, status *string) {
	t.Helper()
	testdb.Insert(t, d, &model.Run{ID: from, ProjectID: &project, Data: model.JSON{}, Summary: model.JSON{}},
		&model.Run{ID: into, ProjectID: &project, Data: model.JSON{}, Summary: model.JSON{}},
		&model.Result{ID: res, ProjectID: &project, RunID: &from, Result: status, Data: model.JSON{}, Params: model.JSON{}})
}

// A PUT /result that moves a result out of run from (into run into) while
// a PUT /run moves from to another project: neither may be aborted as a
// deadlock. The order is forced: a third transaction holds into, so the
// update is under way and waits for into; the move of from then starts and
// waits too; then into is let go. With the result's row locked before the
// runs, the update held the row and waited for into, the move held from
// and waited for the row, and the update's write (the counts trigger's key
// check on from, the run the result leaves) closed the cycle: PostgreSQL
// aborted one of them with 40P01 after deadlock_timeout (an opaque 500 for
// its client). Runs first, the move waits for the update and then finds
// the result in into, which stays in its project.
func TestUpdateOutOfARunBeingMoved(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := testdb.NewTenants(t, d)
		svc := quietService(d)
		defer svc.Close()
		from, into := orderedRuns()
		res := uuid.New()
		insertTwoRunsAndAResult(t, d, ts.Mine, from, into, res, model.Ptr("failed"))
		waits := testdb.WatchLockWaits(t, d)

		release := testdb.Hold(t, d, func(ctx context.Context) error {
			return d.Conn(ctx).Exec(`SELECT id FROM runs WHERE id = ? FOR UPDATE`, into).Error
		})
		target := into.String()
		updated, updateDone := make(chan error, 1), make(chan struct{})
		go func() {
			defer close(updateDone)
			_, err := svc.Update(ctx, ts.Member, res, result.UpdateRequest{RunID: model.Nullable[string]{Set: true, Value: &target}})
			updated <- err
		}()
		if !waits.Await(t, 1, updateDone) {
			_ = release()
			t.Fatalf("the update did not wait for the held run (%v)", <-updated)
		}
		moved, moveDone := make(chan error, 1), make(chan struct{})
		go func() {
			defer close(moveDone)
			moved <- d.WithTx(ctx, moveRun(d, from, ts.Theirs))
		}()
		if !waits.Await(t, 2, moveDone) {
			_ = release()
			t.Fatalf("the move did not wait for the update (%v)", <-moved)
		}
		if err := release(); err != nil {
			t.Fatal(err)
		}
		if uerr, merr := <-updated, <-moved; uerr != nil || merr != nil {
			t.Fatalf("update: %v; move: %v; want both to succeed", uerr, merr)
		}
		r := testdb.Reload[model.Result](t, d, res)
		if r.RunID == nil || *r.RunID != into || r.ProjectID == nil || *r.ProjectID != ts.Mine {
			t.Errorf("result in run %v, project %v; want run %s in project %s", r.RunID, r.ProjectID, into, ts.Mine)
		}
		if n := testdb.Count(t, d, "results", "run_id = ? AND project_id IS DISTINCT FROM ?", from, ts.Theirs); n != 0 {
			t.Errorf("%d results of the moved run left in another project than the run's", n)
		}
	})
}

// A PUT /result that found the result in one run, and then, once its row
// was free, in another (a PUT committed meanwhile moved it; testdb.WhileHeld
// holds that one): the new run was not locked before the row, and locking
// it now is the order that deadlocks with a move of that run, so the
// answer is a 409 asking to send the request again, and nothing is
// written.
func TestUpdateOfAResultMovedMeanwhile(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := testdb.NewTenants(t, d)
		svc := quietService(d)
		defer svc.Close()
		first, second, res := uuid.New(), uuid.New(), uuid.New()
		insertTwoRunsAndAResult(t, d, ts.Mine, first, second, res, nil)
		waited, err := testdb.WhileHeld(t, d, func(ctx context.Context) error {
			return d.Conn(ctx).Exec(`UPDATE results SET run_id = ? WHERE id = ?`, second, res).Error
		}, func() error {
			_, err := svc.Update(ctx, ts.Member, res, result.UpdateRequest{Metadata: map[string]any{"k": "v"}})
			return err
		})
		if !waited {
			t.Fatalf("the update did not wait for the other one (%v)", err)
		}
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindConflict {
			t.Fatalf("answer %v, want 409", err)
		}
		if r := testdb.Reload[model.Result](t, d, res); r.Data["k"] != nil || r.RunID == nil || *r.RunID != second {
			t.Errorf("result %+v: want it in run %s, unchanged", r, second)
		}
	})
}
