package importer

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// triage is the failure fingerprinting of one import (docs/triage.md): each
// batch's failures are fingerprinted once, the projects' automatic
// classification rule is applied to them before they are written, and
// their fingerprint and classification rows are written after them, all
// in the import's transaction.
type triage struct {
	db *db.DB
	// off skips all of it (the benchmark's limit: the same import without
	// fingerprinting, see Fingerprinting).
	off bool
	// rule caches each project's rule switch for the import: one
	// primary-key read per project and import, not per batch.
	rule map[uuid.UUID]bool
}

// prepare fingerprints the failures among a batch of new results and
// applies the automatic rule to them; it returns their fingerprint rows
// and the audit rows of the classifications it set.
func (t *triage) prepare(ctx context.Context, rs []*model.Result) ([]fingerprint.Row, []fingerprint.HistoryRow, error) {
	if t.off {
		return nil, nil, nil
	}
	rows := fingerprint.Rows(rs)
	on, err := t.ruleOn(ctx, rows)
	if err != nil || !on {
		return rows, nil, err
	}
	ruled, err := fingerprint.PrepareRows(ctx, t.db, rs, rows)
	return rows, ruled, err
}

// ruleOn reports whether any unclassified failure among rows is in a
// project with the rule on.
func (t *triage) ruleOn(ctx context.Context, rows []fingerprint.Row) (bool, error) {
	var unknown []uuid.UUID
	for _, r := range rows {
		if r.ProjectID == nil || r.Classification != "" {
			continue
		}
		if _, seen := t.rule[*r.ProjectID]; !seen && !containsID(unknown, *r.ProjectID) {
			unknown = append(unknown, *r.ProjectID)
		}
	}
	if len(unknown) > 0 {
		on, err := fingerprint.RuleProjects(ctx, t.db, unknown)
		if err != nil {
			return false, err
		}
		if t.rule == nil {
			t.rule = map[uuid.UUID]bool{}
		}
		for _, id := range unknown {
			t.rule[id] = on[id]
		}
	}
	for _, r := range rows {
		if r.ProjectID != nil && r.Classification == "" && t.rule[*r.ProjectID] {
			return true, nil
		}
	}
	return false, nil
}

func containsID(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// store writes the fingerprint and classification rows of new results
// (COPY on PostgreSQL) and the audit rows of the rule's classifications.
func (t *triage) store(ctx context.Context, rows []fingerprint.Row, ruled []fingerprint.HistoryRow) error {
	if len(rows) > 0 {
		copied, err := copyFingerprints(ctx, t.db, rows)
		if err != nil {
			return err
		}
		if !copied {
			if err := fingerprint.StoreNew(ctx, t.db, rows); err != nil {
				return err
			}
		}
	}
	return fingerprint.RecordChanges(ctx, t.db, ruled)
}

// classifyExisting is the path of a batch that may hold results already
// stored (an archive re-import): the rule for the new ones, then every
// result's rows brought up to date (fingerprint.Record).
func (t *triage) classifyExisting(ctx context.Context, fresh []model.Result) ([]fingerprint.HistoryRow, error) {
	if t.off {
		return nil, nil
	}
	return fingerprint.Prepare(ctx, t.db, pointers(fresh))
}

func (t *triage) recordExisting(ctx context.Context, all []model.Result, ruled []fingerprint.HistoryRow) error {
	if t.off {
		return nil
	}
	if err := fingerprint.Record(ctx, t.db, pointers(all)); err != nil {
		return err
	}
	return fingerprint.RecordChanges(ctx, t.db, ruled)
}

func pointers(rows []model.Result) []*model.Result {
	ptrs := make([]*model.Result, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	return ptrs
}
