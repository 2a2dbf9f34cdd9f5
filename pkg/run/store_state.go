package run

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// stateRow is one row of ibutsu_run_state (migration 00014).
type stateRow struct {
	RunID        uuid.UUID  `gorm:"column:run_id;type:uuid;primaryKey"`
	State        string     `gorm:"column:state"`
	LastActivity time.Time  `gorm:"column:last_activity"`
	FinishedAt   *time.Time `gorm:"column:finished_at"`
	FinishedBy   *string    `gorm:"column:finished_by"`
}

func (stateRow) TableName() string { return "ibutsu_run_state" }

// The states a run can be in, and who finished it.
const (
	StateRunning  = "running"
	StateFinished = "finished"

	FinishedByClient = "client"
	FinishedByQuiet  = "quiet"
	FinishedByImport = "import"
)

// stateOf loads a run's state row (nil: none).
func (s store) stateOf(ctx context.Context, id uuid.UUID) (*stateRow, error) {
	var row stateRow
	err := s.db.Conn(ctx).Where("run_id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("run state: %w", err)
	}
	return &row, nil
}

// statesWith loads the state rows of runs, by run id, and runs the page's
// marker look-ups in the same statement: db.LookupsSQL LEFT JOINed on the
// runs, so every look-up must be keyed by run id (k). A run shows once per
// marker row it has.
func (s store) statesWith(ctx context.Context, ids []uuid.UUID, ls []db.Lookup) (map[uuid.UUID]stateRow, error) {
	out := map[uuid.UUID]stateRow{}
	if len(ids) == 0 {
		return out, nil
	}
	sql := `SELECT p.id AS run_id, s.state, s.last_activity, s.finished_at, s.finished_by`
	from := ` FROM runs p LEFT JOIN ibutsu_run_state s ON s.run_id = p.id`
	var args []any
	if len(ls) > 0 {
		lookups, largs := db.LookupsSQL(ls)
		sql += `, m.part, m.k, m.a, m.b, m.c, m.n`
		from += ` LEFT JOIN (` + lookups + `) m ON m.k = p.id`
		args = largs
	}
	var rows []struct {
		RunID        uuid.UUID
		State        *string
		LastActivity *time.Time
		FinishedAt   *time.Time
		FinishedBy   *string
		Part         *int
		K            *uuid.UUID
		A, B, C      *string
		N            *int64
	}
	if err := s.db.Conn(ctx).Raw(sql+from+` WHERE p.id IN ?`, append(args, ids)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("run states and marks: %w", err)
	}
	var marks []db.LookupRow
	for _, r := range rows {
		if r.State != nil {
			out[r.RunID] = stateRow{RunID: r.RunID, State: *r.State, LastActivity: model.Deref(r.LastActivity),
				FinishedAt: r.FinishedAt, FinishedBy: r.FinishedBy}
		}
		if r.Part != nil && r.K != nil {
			marks = append(marks, db.LookupRow{Part: *r.Part, K: *r.K, A: r.A, B: r.B, C: r.C, N: model.Deref(r.N)})
		}
	}
	db.DispatchLookups(ls, marks)
	return out, nil
}

// touch records activity on a run: a new row is running; a run the quiet
// period finished is running again; a run its client (or an import)
// finished stays finished. One upsert decides it on the row as it is, so
// touches and finishes together leave the right state. It reports nothing
// about a reopening: no event hangs on one, and a flag read from a row
// before the upsert could be reported by two touches together or by none.
func (s store) touch(ctx context.Context, id uuid.UUID, now time.Time) error {
	err := s.db.Conn(ctx).Exec(`INSERT INTO ibutsu_run_state (run_id, state, last_activity) VALUES (?, 'running', ?)
ON CONFLICT (run_id) DO UPDATE SET last_activity = excluded.last_activity,
  state = CASE WHEN ibutsu_run_state.finished_by = 'quiet' THEN 'running' ELSE ibutsu_run_state.state END,
  finished_at = CASE WHEN ibutsu_run_state.finished_by = 'quiet' THEN NULL ELSE ibutsu_run_state.finished_at END,
  finished_by = CASE WHEN ibutsu_run_state.finished_by = 'quiet' THEN NULL ELSE ibutsu_run_state.finished_by END`, id, now).Error
	if err != nil {
		return fmt.Errorf("touch run state: %w", err)
	}
	return nil
}

// finish marks a run finished unless it is already; quietBefore (non-zero)
// only finishes a running run whose last activity is older. It reports
// whether this call finished the run.
func (s store) finish(ctx context.Context, id uuid.UUID, by string, now, quietBefore time.Time) (bool, error) {
	q := `INSERT INTO ibutsu_run_state (run_id, state, last_activity, finished_at, finished_by) VALUES (?, 'finished', ?, ?, ?)
ON CONFLICT (run_id) DO UPDATE SET state = 'finished', finished_at = excluded.finished_at, finished_by = excluded.finished_by
WHERE ibutsu_run_state.state = 'running'`
	args := []any{id, now, now, by}
	if !quietBefore.IsZero() {
		q += ` AND ibutsu_run_state.last_activity < ?`
		args = append(args, quietBefore)
	}
	res := s.db.Conn(ctx).Exec(q, args...)
	if res.Error != nil {
		return false, fmt.Errorf("finish run: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// quietRuns lists running runs without activity since before (at most limit).
func (s store) quietRuns(ctx context.Context, before time.Time, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Conn(ctx).Model(&stateRow{}).Where("state = ? AND last_activity < ?", StateRunning, before).
		Order("last_activity").Limit(limit).Pluck("run_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("quiet runs: %w", err)
	}
	return ids, nil
}
