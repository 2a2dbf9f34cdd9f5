package importer

import (
	"context"
	"log/slog"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// An archive import re-pointing a known result from run from to its run
// into, while PUT /run moves from to another project: neither may be
// aborted as a deadlock. The order is forced: a third transaction holds
// into, so the re-pointing is under way and waits for into's key check;
// the move then starts and waits too; then into is let go. Without the
// runs locked first, the re-pointing held the result's row, the move held
// from and waited for the row, and the counts trigger's key check on from
// closed the cycle (40P01).
func TestRepointWhileTheResultsRunMoves(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		quiet := slog.New(slog.DiscardHandler)
		ts := testdb.NewTenants(t, d)
		admin := &model.User{ID: uuid.New(), Email: "admin@example.com", IsActive: true, IsSuperadmin: true}
		from, into, res := uuid.New(), uuid.New(), uuid.New()
		testdb.Insert(t, d, admin, &model.Run{ID: from, ProjectID: &ts.Mine, Data: model.JSON{}, Summary: model.JSON{}},
			&model.Run{ID: into, ProjectID: &ts.Mine, Data: model.JSON{}, Summary: model.JSON{}},
			&model.Result{ID: res, ProjectID: &ts.Mine, RunID: &from, Result: model.Ptr("passed"), Data: model.JSON{}, Params: model.JSON{}})
		runs := run.NewService(d, project.NewStore(d), run.NewSummarizer(d, nil, quiet), quiet)
		waits := testdb.WatchLockWaits(t, d)

		release := testdb.Hold(t, d, func(ctx context.Context) error {
			return d.Conn(ctx).Exec(`SELECT id FROM runs WHERE id = ? FOR UPDATE`, into).Error
		})
		repointed, repointDone := make(chan error, 1), make(chan struct{})
		go func() {
			defer close(repointDone)
			repointed <- d.WithTx(ctx, func(ctx context.Context) error {
				w := newWriter(d, true, nil)
				_, err := w.repoint(ctx, []model.Result{{ID: res, ProjectID: &ts.Mine, RunID: &into}})
				return err
			})
		}()
		if !waits.Await(t, 1, repointDone) {
			_ = release()
			t.Fatalf("the re-pointing did not wait for the held run (%v)", <-repointed)
		}
		theirs := ts.Theirs.String()
		moved, moveDone := make(chan error, 1), make(chan struct{})
		go func() {
			defer close(moveDone)
			_, err := runs.Update(ctx, admin, from, run.UpdateRequest{ProjectID: &theirs})
			moved <- err
		}()
		if !waits.Await(t, 2, moveDone) {
			_ = release()
			t.Fatalf("the move did not wait for the re-pointing (%v)", <-moved)
		}
		if err := release(); err != nil {
			t.Fatal(err)
		}
		if rerr, merr := <-repointed, <-moved; rerr != nil || merr != nil {
			t.Fatalf("re-point: %v; move: %v; want both to succeed", rerr, merr)
		}
		r := testdb.Reload[model.Result](t, d, res)
		if r.RunID == nil || *r.RunID != into || r.ProjectID == nil || *r.ProjectID != ts.Mine {
			t.Errorf("result in run %v, project %v; want run %s in project %s", r.RunID, r.ProjectID, into, ts.Mine)
		}
	})
}
