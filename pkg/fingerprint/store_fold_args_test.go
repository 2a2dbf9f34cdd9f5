package fingerprint

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestFoldArgsUUIDColumnsArePgtype pins pgUUID: the batch statement's four
// uuid columns (ids, projects, runs, audit ids) go to pgx as pgtype.UUID
// elements, NULL where the result has none (no run; no audit id for a
// passed result), and PostgreSQL stores the same uuids and NULLs.
func TestFoldArgsUUIDColumnsArePgtype(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		project, run := uuid.New(), uuid.New()
		now := time.Now().UTC()
		testdb.Insert(t, d, &model.Project{ID: project, Name: model.Ptr("args")}, &model.Run{ID: run, ProjectID: &project, StartTime: now, Created: now})
		failed := &model.Result{ID: uuid.New(), ProjectID: &project, RunID: &run, TestID: model.Ptr("t1"), Result: model.Ptr("failed"), StartTime: now,
			Data: model.JSON{"short_tb": "E   ValueError: bad\n\ntests/test_x.py:1: ValueError"}}
		passed := &model.Result{ID: uuid.New(), ProjectID: &project, TestID: model.Ptr("t2"), Result: model.Ptr("passed"), StartTime: now}
		args, ok, err := foldArgs([]*model.Result{failed, passed}, nil)
		if err != nil || !ok {
			t.Fatalf("foldArgs: ok %v, %v", ok, err)
		}
		col := func(i int) []pgtype.UUID {
			t.Helper()
			c, isPg := args[i].([]pgtype.UUID)
			if !isPg {
				t.Fatalf("argument %d is %T, want []pgtype.UUID", i, args[i])
			}
			return c
		}
		ids, projects, runs, hids := col(0), col(1), col(2), col(16)
		if ids[0] != (pgtype.UUID{Bytes: failed.ID, Valid: true}) || ids[1] != (pgtype.UUID{Bytes: passed.ID, Valid: true}) {
			t.Errorf("ids %v", ids)
		}
		if projects[0] != (pgtype.UUID{Bytes: project, Valid: true}) || projects[1] != projects[0] {
			t.Errorf("projects %v", projects)
		}
		if runs[0] != (pgtype.UUID{Bytes: run, Valid: true}) || runs[1].Valid {
			t.Errorf("runs %v, want the run and NULL", runs)
		}
		if !hids[0].Valid || hids[1].Valid {
			t.Errorf("audit ids %v, want one for the failure and NULL", hids)
		}
		if _, _, err := runFolded(ctx, d, args); err != nil {
			t.Fatal(err)
		}
		type stored struct {
			ID        uuid.UUID
			ProjectID *uuid.UUID
			RunID     *uuid.UUID
		}
		var got []stored
		if err := d.Gorm.Raw(`SELECT id, project_id, run_id FROM results WHERE id IN ? ORDER BY test_id`, []uuid.UUID{failed.ID, passed.ID}).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != failed.ID || got[1].ID != passed.ID || *got[0].ProjectID != project || *got[1].ProjectID != project ||
			got[0].RunID == nil || *got[0].RunID != run || got[1].RunID != nil {
			t.Fatalf("stored %+v", got)
		}
		var fp string
		if err := d.Gorm.Raw(`SELECT CAST(result_id AS text) FROM ibutsu_result_fingerprints WHERE result_id = ?`, failed.ID).Scan(&fp).Error; err != nil || fp != failed.ID.String() {
			t.Fatalf("fingerprint row of the failure: %v %v", fp, err)
		}
	})
}
