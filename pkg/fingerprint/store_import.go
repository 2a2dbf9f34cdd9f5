package fingerprint

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// The importer writes a whole file's results in one transaction, batch by
// batch. These functions let it fingerprint each failure once per batch
// (Prepare and Record would each compute it again), probe the automatic
// rule's switch once per project and import instead of once per batch, and
// write the rows of results it has just created without the delete and
// re-read SyncClasses needs for results that may already have rows.

// Rows fingerprints the failures among rs.
func Rows(rs []*model.Result) []Row { return rowsOf(rs) }

// RuleProjects returns which of projects have the automatic classification
// rule on (docs/triage.md): one primary-key read.
func RuleProjects(ctx context.Context, d *db.DB, projects []uuid.UUID) (map[uuid.UUID]bool, error) {
	on := make(map[uuid.UUID]bool, len(projects))
	if len(projects) == 0 {
		return on, nil
	}
	var ids []uuid.UUID
	if err := d.Conn(ctx).Model(&SettingsRow{}).Where("project_id IN ? AND auto_classify", projects).
		Pluck("project_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("automatic classification switch: %w", err)
	}
	for _, id := range ids {
		on[id] = true
	}
	return on, nil
}

// PrepareRows is Prepare for rows already computed with Rows from rs; the
// classifications it applies are set in both rs and rows.
func PrepareRows(ctx context.Context, d *db.DB, rs []*model.Result, rows []Row) ([]HistoryRow, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	return applyRule(ctx, d, rs, rows)
}

// ClassRows are the classification rows of freshly fingerprinted failures
// that carry a classification.
func ClassRows(rows []Row) []ClassRow {
	var cs []ClassRow
	for _, r := range rows {
		if r.Classification != "" {
			cs = append(cs, ClassRow{ResultID: r.ResultID, ProjectID: r.ProjectID, Fingerprint: r.Fingerprint, Classification: r.Classification})
		}
	}
	return cs
}

// StoreNew stores the fingerprint and classification rows of results
// written just before in the caller's transaction that had none (new
// results): no stale classification row can exist to remove.
func StoreNew(ctx context.Context, d *db.DB, rows []Row) error {
	if err := Upsert(ctx, d, rows); err != nil {
		return err
	}
	return upsertClasses(ctx, d, rows)
}
