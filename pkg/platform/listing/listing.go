// Package listing runs the paginated, filtered list queries every list
// endpoint shares: the filter language, scoping, ordering, page offsets and
// the total count, exact or estimated from the PostgreSQL planner.
package listing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/platform/costly"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// Query describes one list request.
type Query struct {
	// Where is the filter predicate (from package filter) and its args; empty means none.
	Where string
	Args  []any
	// Scope adds access restrictions and fixed conditions.
	Scope func(*gorm.DB) *gorm.DB
	// Order is an ORDER BY clause, e.g. "start_time DESC"; empty keeps DB order.
	Order string
	// Sort, when set (from ParseSort), replaces Order.
	Sort Sort
	Page paging.Page
	// Estimate asks for the planner's row estimate instead of an exact count
	// when it is at or above EstimateThreshold (PostgreSQL only).
	Estimate          bool
	EstimateThreshold int
	// Counter, when set, may answer the exact total from somewhere cheaper
	// than counting the rows (ok false: count as usual). Its answer is
	// used with or without Estimate.
	Counter func(ctx context.Context) (total int64, ok bool, err error)
}

// Run fetches one page of model rows into dest (a pointer to a slice) and
// returns the total count.
func Run(ctx context.Context, d *db.DB, model any, dest any, q Query) (int64, error) {
	total, _, err := RunCounted(ctx, d, model, dest, q)
	return total, err
}

// RunCounted is Run that also says whether the total is the planner's
// estimate rather than an exact count.
//
// A request admitted as expensive (package costly) runs both queries in
// one transaction under its shorter statement timeout.
func RunCounted(ctx context.Context, d *db.DB, model any, dest any, q Query) (total int64, estimated bool, err error) {
	if timeout, ok := costly.Timeout(ctx); ok {
		err = d.WithStatementTimeout(ctx, timeout, func(ctx context.Context) error {
			total, estimated, err = runCounted(ctx, d, model, dest, q)
			return err
		})
		return total, estimated, err
	}
	return runCounted(ctx, d, model, dest, q)
}

func runCounted(ctx context.Context, d *db.DB, model any, dest any, q Query) (total int64, estimated bool, err error) {
	base := func() *gorm.DB {
		tx := d.Conn(ctx).Model(model)
		if q.Scope != nil {
			tx = q.Scope(tx)
		}
		if q.Where != "" {
			tx = tx.Where(q.Where, q.Args...)
		}
		return tx
	}
	total, estimated, err = count(ctx, d, base, q)
	if err != nil {
		return 0, false, err
	}
	tx := base()
	switch {
	case !q.Sort.IsZero():
		tx = tx.Order(q.Sort.orderBy(d.Dialect))
	case q.Order != "":
		tx = tx.Order(q.Order)
	}
	if err := tx.Offset(q.Page.Offset()).Limit(q.Page.PageSize).Find(dest).Error; err != nil {
		return 0, false, fmt.Errorf("list: %w", err)
	}
	return total, estimated, nil
}

func count(ctx context.Context, d *db.DB, base func() *gorm.DB, q Query) (int64, bool, error) {
	if q.Counter != nil {
		n, ok, err := q.Counter(ctx)
		if err != nil {
			return 0, false, fmt.Errorf("count: %w", err)
		}
		if ok {
			return n, false, nil
		}
	}
	if q.Estimate && d.Dialect == db.Postgres {
		est, err := estimate(ctx, d, base)
		if err == nil && est >= int64(q.EstimateThreshold) {
			return est, true, nil
		}
		var pg *pgconn.PgError
		if errors.As(err, &pg) && db.InTx(ctx) {
			// The failed EXPLAIN aborted the transaction (an expensive
			// request's, see RunCounted): the count cannot run in it, and
			// would fail alike (a pattern PostgreSQL rejects).
			return 0, false, fmt.Errorf("count: %w", err)
		}
	}
	var n int64
	if err := base().Count(&n).Error; err != nil {
		return 0, false, fmt.Errorf("count: %w", err)
	}
	return n, false, nil
}

// estimate asks the planner how many rows the query returns, as upstream
// does for estimate=true (its exact counts time out on large tables).
func estimate(ctx context.Context, d *db.DB, base func() *gorm.DB) (int64, error) {
	stmt := base().Session(&gorm.Session{DryRun: true}).Select("*").Find(&[]map[string]any{}).Statement
	var plan string
	if err := d.Conn(ctx).Raw("EXPLAIN (FORMAT JSON) "+stmt.SQL.String(), stmt.Vars...).Row().Scan(&plan); err != nil {
		return 0, fmt.Errorf("estimate count: %w", err)
	}
	var out []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(plan), &out); err != nil || len(out) == 0 {
		return 0, fmt.Errorf("estimate count: unreadable plan: %w", err)
	}
	return int64(out[0].Plan.Rows), nil
}
