package fingerprint

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// On SQLite the result batcher's rows are written by WithResults, not by
// foldedInsert, so the rule foldedInsert checks on the locked runs — a
// result's project is its run's project — is checked here instead. The
// caller (POST /result) checked each row's run on a read outside any
// transaction, and a move of the run (PUT /run, which carries the run's
// results along) could commit between that read and the insert: the new
// result stayed in the old project beside a run in the new one, counted in
// the run's summary and still read and written by the old project's
// members. SQLite's write transactions begin IMMEDIATE on the one
// connection (pkg/platform/db), so a read inside one is the committed
// state and no move commits before the insert does.

// checksRuns reports whether WithResults reads the projects of rs's runs
// itself: on SQLite, when a row names a run.
func checksRuns(d *db.DB, rs []*model.Result) bool {
	return d.Dialect == db.SQLite && inRuns(rs)
}

// checkRunProjects returns ErrRunMoved when a row of rs names a run whose
// project, read in ctx's transaction, is not the row's (two missing
// projects are the same, as foldedInsert's IS DISTINCT FROM has it). A run
// that does not exist is left to the foreign key, as there. One statement
// for the batch.
func checkRunProjects(ctx context.Context, d *db.DB, rs []*model.Result) error {
	var ids []uuid.UUID
	seen := map[uuid.UUID]bool{}
	for _, r := range rs {
		if r.RunID != nil && !seen[*r.RunID] {
			seen[*r.RunID] = true
			ids = append(ids, *r.RunID)
		}
	}
	var runs []struct {
		ID        uuid.UUID
		ProjectID *uuid.UUID
	}
	if err := d.Conn(ctx).Model(&model.Run{}).Select("id", "project_id").Where("id IN ?", ids).Find(&runs).Error; err != nil {
		return fmt.Errorf("read the projects of the results' runs: %w", err)
	}
	project := make(map[uuid.UUID]*uuid.UUID, len(runs))
	for _, r := range runs {
		project[r.ID] = r.ProjectID
	}
	for _, r := range rs {
		if r.RunID == nil {
			continue
		}
		if p, ok := project[*r.RunID]; ok && !sameProject(p, r.ProjectID) {
			return ErrRunMoved
		}
	}
	return nil
}

func sameProject(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
