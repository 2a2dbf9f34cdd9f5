package fingerprint

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Row is one row of ibutsu_result_fingerprints (migration 00009): a
// failed or errored result's fingerprint, with the result's project, run
// and start time copied so cluster queries never read results.
type Row struct {
	ResultID    uuid.UUID  `gorm:"column:result_id;type:uuid;primaryKey"`
	ProjectID   *uuid.UUID `gorm:"column:project_id;type:uuid"`
	RunID       *uuid.UUID `gorm:"column:run_id;type:uuid"`
	Fingerprint string     `gorm:"column:fingerprint"`
	Exception   string     `gorm:"column:exception"`
	Normalised  string     `gorm:"column:normalised"`
	StartTime   time.Time  `gorm:"column:start_time"`
	// Classification is the result's metadata.classification (stored in
	// ibutsu_fingerprint_classifications, not in this table).
	Classification string `gorm:"-"`
}

// TableName implements gorm's Tabler.
func (Row) TableName() string { return "ibutsu_result_fingerprints" }

// Of computes the fingerprint row of a result; ok is false when the result
// is not a failure or error.
func Of(r *model.Result) (Row, bool) {
	if r.Result == nil {
		return Row{}, false
	}
	fp, ok := Compute(Input{Status: *r.Result, Exception: metaText(r.Data, "exception_name"), Text: metaText(r.Data, "short_tb")})
	if !ok {
		return Row{}, false
	}
	return Row{ResultID: r.ID, ProjectID: r.ProjectID, RunID: r.RunID, Fingerprint: fp.Hash, Exception: fp.Exception,
		Normalised: fp.Text, StartTime: r.StartTime, Classification: Classification(r.Data)}, true
}

func metaText(md map[string]any, k string) string {
	if s := model.MetaString(md, k); s != nil {
		return *s
	}
	return ""
}

// rowsOf fingerprints the failures among rs.
func rowsOf(rs []*model.Result) []Row {
	var out []Row
	for _, r := range rs {
		if row, ok := Of(r); ok {
			out = append(out, row)
		}
	}
	return out
}

// upsertBatch bounds the rows of one INSERT (7 parameters each).
const upsertBatch = 1000

// Upsert stores rows, replacing an earlier fingerprint of the same result
// (a re-import or an edited traceback), so writing twice is harmless.
func Upsert(ctx context.Context, d *db.DB, rows []Row) error {
	if len(rows) == 0 {
		return nil
	}
	err := d.Conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "result_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"project_id", "run_id", "fingerprint", "exception", "normalised", "start_time"}),
	}).CreateInBatches(rows, upsertBatch).Error
	if err != nil {
		return fmt.Errorf("store fingerprints: %w", err)
	}
	return nil
}

// Record fingerprints the failures among results already written in the
// caller's transaction (or just written, outside one), with their
// classification rows.
func Record(ctx context.Context, d *db.DB, rs []*model.Result) error {
	rows := rowsOf(rs)
	if err := Upsert(ctx, d, rows); err != nil {
		return err
	}
	return SyncClasses(ctx, d, resultIDs(rows))
}

func resultIDs(rows []Row) []uuid.UUID {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ResultID
	}
	return ids
}

// Prepare applies the projects' automatic classification rule to results
// about to be written in the caller's transaction (an import batch) and
// returns the audit rows to record with RecordChanges once they exist.
func Prepare(ctx context.Context, d *db.DB, rs []*model.Result) ([]HistoryRow, error) {
	rows := rowsOf(rs)
	if len(rows) == 0 {
		return nil, nil
	}
	return applyRule(ctx, d, rs, rows)
}

// WithResults runs insert, which writes rs, and stores the fingerprints of
// their failures in the same transaction, after applying the projects'
// automatic classification rule to them. On SQLite, when rs name runs, the
// transaction first reads the runs' projects and returns ErrRunMoved,
// writing nothing, when a row's project is not its run's (store_runs.go).
// A batch without failures (most of them; on SQLite, also naming no run)
// runs insert as it is: no transaction, no extra statement.
func WithResults(ctx context.Context, d *db.DB, rs []*model.Result, insert func(ctx context.Context) error) error {
	rows := rowsOf(rs)
	check := checksRuns(d, rs)
	if len(rows) == 0 && !check {
		return insert(ctx)
	}
	var ruled []HistoryRow
	err := d.WithTx(ctx, func(ctx context.Context) error {
		if check {
			if err := checkRunProjects(ctx, d, rs); err != nil {
				return err
			}
		}
		if len(rows) == 0 {
			return insert(ctx)
		}
		var err error
		if ruled, err = applyRule(ctx, d, rs, rows); err != nil {
			return err
		}
		if err := insert(ctx); err != nil {
			return err
		}
		if err := Upsert(ctx, d, rows); err != nil {
			return err
		}
		if err := upsertClasses(ctx, d, rows); err != nil {
			return err
		}
		return RecordChanges(ctx, d, ruled)
	})
	if err != nil {
		// Nothing was written: a retry decides afresh.
		undoRule(rs, ruled)
	}
	return err
}

// undoRule takes back the classifications applyRule put into results that
// were then not written.
func undoRule(rs []*model.Result, ruled []HistoryRow) {
	set := make(map[uuid.UUID]bool, len(ruled))
	for _, h := range ruled {
		set[h.ResultID] = true
	}
	for _, r := range rs {
		if set[r.ID] {
			delete(r.Data, "classification")
		}
	}
}

// Refresh brings a changed result's fingerprint up to date: stored (or
// replaced) while it is a failure, removed once it is not.
func Refresh(ctx context.Context, d *db.DB, r *model.Result) error {
	if row, ok := Of(r); ok {
		if err := Upsert(ctx, d, []Row{row}); err != nil {
			return err
		}
		return SyncClasses(ctx, d, []uuid.UUID{r.ID})
	}
	if err := d.Conn(ctx).Where("result_id = ?", r.ID).Delete(&Row{}).Error; err != nil {
		return fmt.Errorf("drop fingerprint: %w", err)
	}
	return nil
}

// ClusterResults lists the results of one cluster of a run, in id order,
// at most limit+1 of them (so a caller can tell "more than limit").
func ClusterResults(ctx context.Context, d *db.DB, runID uuid.UUID, hash string, limit int) ([]uuid.UUID, error) {
	var out []uuid.UUID
	err := d.Conn(ctx).Model(&Row{}).Where("run_id = ? AND fingerprint = ?", runID, hash).
		Order("result_id").Limit(limit+1).Pluck("result_id", &out).Error
	if err != nil {
		return nil, fmt.Errorf("cluster results: %w", err)
	}
	return out, nil
}

// MoveRun follows a run moved to another project: its results' fingerprints
// count in the new project from then on (called in the move's transaction).
func MoveRun(ctx context.Context, d *db.DB, runID, projectID uuid.UUID) error {
	if err := d.Conn(ctx).Model(&Row{}).Where("run_id = ?", runID).Update("project_id", projectID).Error; err != nil {
		return fmt.Errorf("move run fingerprints: %w", err)
	}
	err := d.Conn(ctx).Model(&ClassRow{}).
		Where("result_id IN (SELECT result_id FROM ibutsu_result_fingerprints WHERE run_id = ?)", runID).
		Update("project_id", projectID).Error
	if err != nil {
		return fmt.Errorf("move run classifications: %w", err)
	}
	return nil
}

// Touches reports whether a metadata change can change a fingerprint.
func Touches(md map[string]any) bool {
	_, tb := md["short_tb"]
	_, exc := md["exception_name"]
	return tb || exc
}
