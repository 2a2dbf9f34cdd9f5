package widgetconfig

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
)

// Store reads and writes widget configs.
type Store struct {
	db *db.DB
}

// NewStore builds the store.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Filter compiles the list's filter expressions for this database.
func (s *Store) Filter(exprs []string) (string, []any, error) {
	return filter.Build(filter.DialectOf(s.db), filter.WidgetConfigs, filter.Split(exprs))
}

// List is one page of the configs u may read that match where, ordered by
// weight, and the total.
func (s *Store) List(ctx context.Context, u *model.User, where string, args []any, page dashboard.Page) ([]model.WidgetConfig, int64, error) {
	var ws []model.WidgetConfig
	total, err := dashboard.ListRows(ctx, s.db, &ws, listing.Query{Where: where, Args: args, Scope: readableScope(u), Order: "weight, id"}, page)
	return ws, total, err
}

// readableScope restricts a list to the configs u may read: their project
// and their dashboard's project readable (dashboard.ReadableScope).
func readableScope(u *model.User) func(*gorm.DB) *gorm.DB {
	cond, args := dashboard.ReadableScope(u, "project_id")
	if cond == "" {
		return nil
	}
	dashes, dargs := dashboard.ReadableDashboards(u)
	return func(tx *gorm.DB) *gorm.DB {
		return tx.Where(cond, args...).Where("(dashboard_id IS NULL OR dashboard_id IN ("+dashes+"))", dargs...)
	}
}

// Tx runs fn in one transaction (nested calls join it).
func (s *Store) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.WithTx(ctx, fn)
}

// Relock reads w's row again into w, locked FOR UPDATE on PostgreSQL until
// ctx's transaction ends (dashboard.Relock; dashboard.ErrNotFound when the
// config is gone).
func (s *Store) Relock(ctx context.Context, w *model.WidgetConfig) error {
	fresh, err := dashboard.Relock[model.WidgetConfig](ctx, s.db, w.ID, "UPDATE")
	if err != nil {
		return err
	}
	*w = *fresh
	return nil
}

// LockDashboard takes dashboard id's row FOR SHARE on PostgreSQL until
// ctx's transaction ends: a dashboard move (FOR UPDATE) waits for it, and
// it for the move. A missing dashboard is no error here.
func (s *Store) LockDashboard(ctx context.Context, id uuid.UUID) error {
	_, err := dashboard.Relock[model.Dashboard](ctx, s.db, id, "SHARE")
	if errors.Is(err, dashboard.ErrNotFound) {
		return nil
	}
	return err
}

// Get loads config id (dashboard.ErrNotFound when missing).
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*model.WidgetConfig, error) {
	return dashboard.Take[model.WidgetConfig](ctx, s.db, id)
}

// DashboardOf loads the dashboard a config sits on (nil when none or when
// the referenced row is gone).
func (s *Store) DashboardOf(ctx context.Context, w *model.WidgetConfig) (*model.Dashboard, error) {
	if w.DashboardID == nil {
		return nil, nil
	}
	d, err := dashboard.Take[model.Dashboard](ctx, s.db, *w.DashboardID)
	if errors.Is(err, dashboard.ErrNotFound) {
		return nil, nil
	}
	return d, err
}

// Create inserts w.
func (s *Store) Create(ctx context.Context, w *model.WidgetConfig) error {
	return s.db.Conn(ctx).Create(w).Error
}

// Save writes every column of w.
func (s *Store) Save(ctx context.Context, w *model.WidgetConfig) error {
	return s.db.Conn(ctx).Save(w).Error
}

// SaveParams writes w's params only.
func (s *Store) SaveParams(ctx context.Context, w *model.WidgetConfig) error {
	return s.db.Conn(ctx).Model(w).Update("params", w.Params).Error
}

// Delete removes config id.
func (s *Store) Delete(ctx context.Context, id uuid.UUID) error {
	return s.db.Conn(ctx).Delete(&model.WidgetConfig{}, "id = ?", id).Error
}
