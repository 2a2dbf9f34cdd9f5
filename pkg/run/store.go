package run

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// store is the runs table as the service uses it.
type store struct {
	db *db.DB
}

// get loads a run; ErrNotFound when there is none.
func (s store) get(ctx context.Context, id uuid.UUID) (*model.Run, error) {
	return take(s.db.Conn(ctx), id)
}

// getForUpdate loads a run and, inside a transaction on PostgreSQL, locks its
// row until the transaction ends.
func (s store) getForUpdate(ctx context.Context, id uuid.UUID) (*model.Run, error) {
	return take(result.ForUpdate(ctx, s.db), id)
}

// lockForSummary loads a run for the summary recomputation and, inside a
// transaction on PostgreSQL, locks its row FOR NO KEY UPDATE: two
// recomputations of the run still serialise (the mode conflicts with
// itself, and the summary's UPDATE changes no key column, so it needs no
// stronger lock), but results being inserted into the run, whose
// foreign-key checks hold KEY SHARE on the row until they commit, neither
// delay it nor wait for it. FOR UPDATE conflicts with KEY SHARE: every
// recomputation waited for the inserts in flight and then stalled every
// insert into the run while it aggregated the run's results.
func (s store) lockForSummary(ctx context.Context, id uuid.UUID) (*model.Run, error) {
	q := s.db.Conn(ctx)
	if s.db.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: "NO KEY UPDATE"})
	}
	return take(q, id)
}

func take(q *gorm.DB, id uuid.UUID) (*model.Run, error) {
	return db.Take[model.Run](q.Where("id = ?", id), ErrNotFound, "run")
}

// create inserts a run; errDuplicate when its id exists.
func (s store) create(ctx context.Context, r *model.Run) error {
	if err := s.db.Conn(ctx).Create(r).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return errDuplicate
		}
		return fmt.Errorf("create run: %w", err)
	}
	return nil
}

// errDuplicate is create's answer for an id that exists.
var errDuplicate = errors.New("run id exists")

// save writes every column of a run; moveResults also moves the run's
// results into its (new) project, in the caller's transaction.
func (s store) save(ctx context.Context, r *model.Run, moveResults bool) error {
	if err := s.db.Conn(ctx).Save(r).Error; err != nil {
		return fmt.Errorf("update run: %w", err)
	}
	if !moveResults {
		return nil
	}
	if err := s.lockResults(ctx, r.ID); err != nil {
		return err
	}
	if err := s.db.Conn(ctx).Model(&model.Result{}).Where("run_id = ?", r.ID).
		Update("project_id", *r.ProjectID).Error; err != nil {
		return fmt.Errorf("move run results: %w", err)
	}
	return fingerprint.MoveRun(ctx, s.db, r.ID, *r.ProjectID)
}

// lockResults locks, on PostgreSQL, the rows of run id's results in the
// order of their ids (FOR NO KEY UPDATE, the lock the move's UPDATE takes
// anyway), before save moves them. The UPDATE alone locks them in the
// order it happens to scan them, and a bulk update of results, which
// locks its rows in id order, deadlocked with it when each held a row
// the other was to lock next.
func (s store) lockResults(ctx context.Context, id uuid.UUID) error {
	if s.db.Dialect != db.Postgres {
		return nil
	}
	var n int64
	err := s.db.Conn(ctx).Raw(`SELECT count(*) FROM (
		SELECT 1 FROM results WHERE run_id = ? ORDER BY id FOR NO KEY UPDATE) l`, id).Scan(&n).Error
	if err != nil {
		return fmt.Errorf("lock run results: %w", err)
	}
	return nil
}

// saveBulk writes a run changed by a bulk update.
func (s store) saveBulk(ctx context.Context, r *model.Run) error {
	if err := s.db.Conn(ctx).Save(r).Error; err != nil {
		return fmt.Errorf("bulk update run: %w", err)
	}
	return nil
}

// resultProjects lists the distinct projects the run's results are in
// (results without a project are not counted).
func (s store) resultProjects(ctx context.Context, runID uuid.UUID) ([]uuid.UUID, error) {
	var projects []uuid.UUID
	if err := s.db.Conn(ctx).Model(&model.Result{}).Where("run_id = ? AND project_id IS NOT NULL", runID).
		Distinct("project_id").Pluck("project_id", &projects).Error; err != nil {
		return nil, fmt.Errorf("load run result projects: %w", err)
	}
	return projects, nil
}

// list reads one page of runs matching p's filters within scope.
func (s store) list(ctx context.Context, scope func(*gorm.DB) *gorm.DB, sort listing.Sort, p result.ListParams) ([]model.Run, int64, bool, error) {
	return result.ListRows[model.Run](ctx, s.db, filter.Runs, scope, sort, p, nil)
}

// relock re-reads the runs a bulk update selected, locking their rows in id
// order (so overlapping bulk updates cannot deadlock), and replaces each with
// its current state: the merge then starts from what is committed, not from
// the unlocked list read. A run deleted meanwhile is dropped.
func (s store) relock(ctx context.Context, runs []model.Run) ([]model.Run, error) {
	if len(runs) == 0 {
		return runs, nil
	}
	ids := make([]uuid.UUID, len(runs))
	for i := range runs {
		ids[i] = runs[i].ID
	}
	var fresh []model.Run
	if err := result.ForUpdate(ctx, s.db).Where("id IN ?", ids).Order("id").Find(&fresh).Error; err != nil {
		return nil, fmt.Errorf("lock runs: %w", err)
	}
	byID := make(map[uuid.UUID]model.Run, len(fresh))
	for _, r := range fresh {
		byID[r.ID] = r
	}
	out := runs[:0]
	for _, r := range runs {
		if f, ok := byID[r.ID]; ok {
			out = append(out, f)
		}
	}
	return out, nil
}
