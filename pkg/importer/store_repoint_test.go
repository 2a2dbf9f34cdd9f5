package importer

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestReimportOfAResultBeingDeleted: an archive re-import re-points the
// results it finds stored and brings their fingerprints up to date, for
// results another transaction wrote and may be deleting. Without the
// foreign keys (migrations 00027, 00028) the re-import must hold those
// rows (lockExisting): a DELETE in flight makes it wait, and once the
// delete commits the result is written as new, with its fingerprint and
// classification, and no triage row is left naming a deleted result.
// Before the lock the re-import read the result as stored, its UPDATE
// then found nothing, and fingerprint.Record still wrote the fingerprint
// and classification rows the delete's triggers could not see.
func TestReimportOfAResultBeingDeleted(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		project, run := uuid.New(), uuid.New()
		now := time.Now().UTC().Truncate(time.Second)
		res := model.Result{ID: uuid.New(), ProjectID: &project, RunID: &run, TestID: model.Ptr("gone"), Result: model.Ptr("failed"), StartTime: now,
			Data: model.JSON{"short_tb": "E   ValueError: bad\n\ntests/test_x.py:1: ValueError", "classification": "product_failure"}}
		stored := res
		testdb.Insert(t, d, &model.Project{ID: project, Name: model.Ptr("reimport")},
			&model.Run{ID: run, ProjectID: &project, StartTime: now, Created: now}, &stored)
		deleting := func(ctx context.Context) error {
			return d.Conn(ctx).Exec("DELETE FROM results WHERE id = ?", res.ID).Error
		}
		w := newWriter(d, true, nil)
		waited, err := testdb.WhileHeld(t, d, deleting, func() error {
			return d.WithTx(ctx, func(ctx context.Context) error { return w.writeUpsert(ctx, []model.Result{res}) })
		})
		if err != nil {
			t.Fatalf("re-import: %v", err)
		}
		if !waited {
			t.Error("the re-import did not wait for the delete in flight")
		}
		if n := testdb.TriageOrphans(t, d); n != 0 {
			t.Fatalf("%d triage rows left naming a deleted result or fingerprint", n)
		}
		if w.existing[res.ID] {
			t.Error("the re-import took the deleted result for a stored one")
		}
		if n := testdb.Count(t, d, "ibutsu_fingerprint_classifications", "result_id = ?", res.ID); n != 1 {
			t.Fatalf("the result written as new has %d classification rows, want 1", n)
		}
	})
}

// TestReimportChecksAResultBeingMoved: the lock the re-import takes before
// its guard reads a stored result's project (lockExisting) is the one a
// PUT /result moving the result holds, so a move in flight (held,
// testdb.WhileHeld) makes the re-import wait and the guard then vets the
// project the move committed: a result moved into a project the importer
// may not write is refused, and stays where the move put it. Before, the
// guard passed on the project read before the move, and the re-point's
// UPDATE, waiting for the move, then carried the moved result into the
// archive's run.
func TestReimportChecksAResultBeingMoved(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := testdb.NewTenants(t, d)
		from, into := uuid.New(), uuid.New()
		now := time.Now().UTC().Truncate(time.Second)
		res := model.Result{ID: uuid.New(), ProjectID: &ts.Mine, RunID: &from, TestID: model.Ptr("moved"), Result: model.Ptr("passed"), StartTime: now, Data: model.JSON{}}
		stored := res
		testdb.Insert(t, d, &model.Run{ID: from, ProjectID: &ts.Mine, StartTime: now, Created: now},
			&model.Run{ID: into, ProjectID: &ts.Mine, StartTime: now, Created: now}, &stored)
		moving := func(ctx context.Context) error {
			return d.Conn(ctx).Exec("UPDATE results SET project_id = ? WHERE id = ?", ts.Theirs, res.ID).Error
		}
		errForeign := errors.New("a result of another project")
		w := newWriter(d, true, nil)
		w.guard = func(_ uuid.UUID, project *uuid.UUID) error {
			if project == nil || *project != ts.Mine {
				return errForeign
			}
			return nil
		}
		again := res
		again.RunID = &into
		waited, err := testdb.WhileHeld(t, d, moving, func() error {
			return d.WithTx(ctx, func(ctx context.Context) error { return w.writeUpsert(ctx, []model.Result{again}) })
		})
		if !waited {
			t.Error("the re-import did not wait for the move in flight")
		}
		if !errors.Is(err, errForeign) {
			t.Fatalf("re-import: %v, want the guard's refusal", err)
		}
		if n := testdb.Count(t, d, "results", "id = ? AND run_id = ? AND project_id = ?", res.ID, from, ts.Theirs); n != 1 {
			t.Fatal("the moved result was carried into the archive's run")
		}
	})
}
