package fingerprint

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// ClassRow is one row of ibutsu_fingerprint_classifications (migration
// 00013): a fingerprinted failure that carries a metadata.classification,
// so "how were results of this fingerprint classified" is an index read.
type ClassRow struct {
	ResultID       uuid.UUID  `gorm:"column:result_id;type:uuid;primaryKey"`
	ProjectID      *uuid.UUID `gorm:"column:project_id;type:uuid"`
	Fingerprint    string     `gorm:"column:fingerprint"`
	Classification string     `gorm:"column:classification"`
}

// TableName implements gorm's Tabler.
func (ClassRow) TableName() string { return "ibutsu_fingerprint_classifications" }

// HistoryRow is one classification change (ibutsu_classification_history):
// a person's (UserID) or the project's automatic rule's (ByRule).
type HistoryRow struct {
	ID          uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	ResultID    uuid.UUID  `gorm:"column:result_id;type:uuid"`
	OldValue    *string    `gorm:"column:old_value"`
	NewValue    *string    `gorm:"column:new_value"`
	UserID      *uuid.UUID `gorm:"column:user_id;type:uuid"`
	ByRule      bool       `gorm:"column:by_rule"`
	Fingerprint *string    `gorm:"column:fingerprint"`
	ChangedAt   time.Time  `gorm:"column:changed_at"`
}

// TableName implements gorm's Tabler.
func (HistoryRow) TableName() string { return "ibutsu_classification_history" }

// SettingsRow is a project's triage settings (ibutsu_project_triage); no
// row means the defaults (automatic classification off).
type SettingsRow struct {
	ProjectID    uuid.UUID `gorm:"column:project_id;type:uuid;primaryKey"`
	AutoClassify bool      `gorm:"column:auto_classify"`
}

// TableName implements gorm's Tabler.
func (SettingsRow) TableName() string { return "ibutsu_project_triage" }

// Classification is a metadata's classification, "" when it has none.
func Classification(md map[string]any) string {
	if s := model.MetaString(md, "classification"); s != nil {
		return *s
	}
	return ""
}

// upsertClasses stores the classification rows of freshly fingerprinted
// failures that arrived classified (a batch of new results: nothing stale
// to remove).
func upsertClasses(ctx context.Context, d *db.DB, rows []Row) error {
	var cs []ClassRow
	for _, r := range rows {
		if r.Classification != "" {
			cs = append(cs, ClassRow{ResultID: r.ResultID, ProjectID: r.ProjectID, Fingerprint: r.Fingerprint, Classification: r.Classification})
		}
	}
	if len(cs) == 0 {
		return nil
	}
	err := d.Conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "result_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"project_id", "fingerprint", "classification"}),
	}).CreateInBatches(cs, upsertBatch).Error
	if err != nil {
		return fmt.Errorf("store classifications: %w", err)
	}
	return nil
}

// classExpr reads results.data's classification as text in d's dialect.
func classExpr(d *db.DB) string {
	if d.Dialect == db.SQLite {
		return "json_extract(r.data, '$.classification')"
	}
	return "r.data->>'classification'"
}

// SyncClasses brings the classification rows of the results in ids up to
// date with their fingerprints and metadata (after a re-import, an edit, a
// bulk update): two statements, whatever changed.
//
// On PostgreSQL the classification row has no foreign key to its
// fingerprint (migration 00028): statement triggers delete it when its
// fingerprint or result goes, and cannot see a row written by a
// transaction still in flight. The results here may have been written by
// another transaction, so the INSERT holds each result and fingerprint it
// reads FOR KEY SHARE, the lock the key's check took: a DELETE of either in
// flight makes it wait, and a result deleted meanwhile is skipped instead
// of leaving a classification row behind. SQLite keeps the key.
func SyncClasses(ctx context.Context, d *db.DB, ids []uuid.UUID) error {
	lock := ""
	if d.Dialect == db.Postgres {
		lock = " FOR KEY SHARE OF f, r"
	}
	for start := 0; start < len(ids); start += upsertBatch {
		part := ids[start:min(start+upsertBatch, len(ids))]
		conn := d.Conn(ctx)
		if err := conn.Where("result_id IN ?", part).Delete(&ClassRow{}).Error; err != nil {
			return fmt.Errorf("drop classifications: %w", err)
		}
		cls := classExpr(d)
		err := conn.Exec(`INSERT INTO ibutsu_fingerprint_classifications (result_id, project_id, fingerprint, classification)
			SELECT f.result_id, f.project_id, f.fingerprint, `+cls+`
			FROM ibutsu_result_fingerprints f JOIN results r ON r.id = f.result_id
			WHERE f.result_id IN ? AND `+cls+` IS NOT NULL AND `+cls+` <> ''`+lock, part).Error
		if err != nil {
			return fmt.Errorf("store classifications: %w", err)
		}
	}
	return nil
}

// RecordChanges appends classification changes to the audit trail. The
// caller holds each row's result: it wrote the result in its transaction
// (an import, WithResults) or holds its row lock (PUT /result, a bulk
// update: FOR UPDATE). On PostgreSQL an audit row has no foreign key to its
// result (migration 00028); a statement trigger deletes it with the result
// and cannot see a row written by a transaction still in flight.
func RecordChanges(ctx context.Context, d *db.DB, hs []HistoryRow) error {
	if len(hs) == 0 {
		return nil
	}
	for i := range hs {
		if hs[i].ID == uuid.Nil {
			hs[i].ID = uuid.New()
		}
	}
	if err := d.Conn(ctx).CreateInBatches(hs, upsertBatch).Error; err != nil {
		return fmt.Errorf("record classification changes: %w", err)
	}
	return nil
}

// Change is the audit row of one result's classification going from
// before to after ("" = none) by user u (nil: the automatic rule); ok is
// false when nothing changed.
func Change(resultID uuid.UUID, before, after string, u *model.User, at time.Time) (HistoryRow, bool) {
	if before == after {
		return HistoryRow{}, false
	}
	h := HistoryRow{ResultID: resultID, OldValue: nonEmpty(before), NewValue: nonEmpty(after), ByRule: u == nil, ChangedAt: at.UTC()}
	if u != nil {
		id := u.ID
		h.UserID = &id
	}
	return h, true
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ClassCount is how many results of a fingerprint in a project carry one
// classification.
type ClassCount struct {
	ProjectID      uuid.UUID
	Fingerprint    string
	Classification string
	N              int
}

// MostCommon picks the classification given most often (ties: the
// alphabetically first) and how many results carry it.
func MostCommon(counts map[string]int) (string, int) {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	best := ""
	for _, n := range names {
		if best == "" || counts[n] > counts[best] {
			best = n
		}
	}
	return best, counts[best]
}

// ruleCountsSQL is the rule's read: per project with the rule on (first
// argument) and fingerprint (second), how many of the project's results of
// that fingerprint carry each classification. On PostgreSQL it sums the
// counts migration 00021's triggers keep (ibutsu_fingerprint_class_counts,
// a few dozen delta rows per fingerprint at most), as foldedInsert and the
// suggestion do, so an import batch's rule costs the same whatever the size
// of the cluster; counting ibutsu_fingerprint_classifications read every
// classified result of each of the batch's fingerprints (issue #21). The
// triggers run in the writer's transaction, so an import still counts its
// own earlier batches, as before. SQLite (small data sets, no such table)
// counts the rows.
func ruleCountsSQL(dialect db.Dialect) string {
	if dialect == db.SQLite {
		return `SELECT c.project_id, c.fingerprint, c.classification, COUNT(*) AS n
		FROM ibutsu_project_triage s JOIN ibutsu_fingerprint_classifications c ON c.project_id = s.project_id
		WHERE s.auto_classify AND s.project_id IN ? AND c.fingerprint IN ?
		GROUP BY c.project_id, c.fingerprint, c.classification`
	}
	return `SELECT c.project_id, c.fingerprint, c.classification, SUM(c.n)::bigint AS n
		FROM ibutsu_project_triage s JOIN ibutsu_fingerprint_class_counts c ON c.project_id = s.project_id
		WHERE s.auto_classify AND s.project_id IN ? AND c.fingerprint IN ?
		GROUP BY c.project_id, c.fingerprint, c.classification
		HAVING SUM(c.n) > 0`
}

// applyRule is the automatic classification rule (docs/triage.md): each of
// rows (fingerprinted failures of rs, not yet written) whose result has no
// classification, in a project with the rule on, whose fingerprint has
// classified results in that project, gets their most common
// classification in its metadata before it is written. It returns the
// audit rows to record once the results exist.
func applyRule(ctx context.Context, d *db.DB, rs []*model.Result, rows []Row) ([]HistoryRow, error) {
	byID := make(map[uuid.UUID]*model.Result, len(rs))
	seen := map[uuid.UUID]bool{}
	var projects []uuid.UUID
	for _, r := range rs {
		byID[r.ID] = r
	}
	for _, row := range rows {
		if row.ProjectID != nil && row.Classification == "" && !seen[*row.ProjectID] {
			seen[*row.ProjectID] = true
			projects = append(projects, *row.ProjectID)
		}
	}
	if len(projects) == 0 {
		return nil, nil
	}
	fps := map[string]bool{}
	var fpList []string
	for _, row := range rows {
		if row.ProjectID != nil && row.Classification == "" && !fps[row.Fingerprint] {
			fps[row.Fingerprint] = true
			fpList = append(fpList, row.Fingerprint)
		}
	}
	// One statement: the rule's switch joined with the classification
	// counts, so a project with the rule off costs one primary-key probe.
	var counts []ClassCount
	err := d.Conn(ctx).Raw(ruleCountsSQL(d.Dialect), projects, fpList).Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("automatic classification: %w", err)
	}
	if len(counts) == 0 {
		return nil, nil
	}
	type key struct {
		p  uuid.UUID
		fp string
	}
	byKey := map[key]map[string]int{}
	for _, c := range counts {
		k := key{c.ProjectID, c.Fingerprint}
		if byKey[k] == nil {
			byKey[k] = map[string]int{}
		}
		byKey[k][c.Classification] += c.N
	}
	now := time.Now()
	var hs []HistoryRow
	for i := range rows {
		row := &rows[i]
		if row.ProjectID == nil || row.Classification != "" {
			continue
		}
		m := byKey[key{*row.ProjectID, row.Fingerprint}]
		if len(m) == 0 {
			continue
		}
		cls, _ := MostCommon(m)
		r := byID[row.ResultID]
		if r.Data == nil {
			r.Data = model.JSON{}
		}
		r.Data["classification"] = cls
		row.Classification = cls
		h, _ := Change(row.ResultID, "", cls, nil, now)
		fp := row.Fingerprint
		h.Fingerprint = &fp
		hs = append(hs, h)
	}
	return hs, nil
}
