package dashboard

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// ErrNotFound is what the stores of this package and of widgetconfig
// return for a row that does not exist; the services turn it into their
// endpoint's 404 message.
var ErrNotFound = errors.New("not found")

// Store reads and writes dashboards and what hangs on them.
type Store struct {
	db *db.DB
}

// NewStore builds the store.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Tx runs fn in one transaction (nested calls join it).
func (s *Store) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.WithTx(ctx, fn)
}

// Page is one page of a list: page Number (from 1) of Size rows.
type Page struct {
	Number, Size int
}

// Filter compiles the list's filter expressions for this database.
func (s *Store) Filter(exprs []string, t filter.Table) (string, []any, error) {
	return filter.Build(filter.DialectOf(s.db), t, filter.Split(exprs))
}

// List is one page of the dashboards u may read that match where, further
// restricted to project only when it is set, ordered by title; it returns
// the total too.
func (s *Store) List(ctx context.Context, u *model.User, where string, args []any, only *uuid.UUID, page Page) ([]model.Dashboard, int64, error) {
	readable, readableArgs := ReadableScope(u, "project_id")
	scope := func(tx *gorm.DB) *gorm.DB {
		if readable != "" {
			tx = tx.Where(readable, readableArgs...)
		}
		if only != nil {
			tx = tx.Where("project_id = ?", *only)
		}
		return tx
	}
	var ds []model.Dashboard
	total, err := ListRows(ctx, s.db, &ds, listing.Query{Where: where, Args: args, Scope: scope, Order: "title, id"}, page)
	return ds, total, err
}

// ListRows runs a list query for one page into dest (a pointer to a slice of
// models); the widget-config store shares it.
func ListRows[M any](ctx context.Context, d *db.DB, dest *[]M, q listing.Query, page Page) (int64, error) {
	q.Page = paging.Page{Page: page.Number, PageSize: page.Size}
	return listing.Run(ctx, d, new(M), dest, q)
}

// Take loads the row of type T with primary key id, ErrNotFound when there
// is none; the widget-config store shares it.
func Take[T any](ctx context.Context, d *db.DB, id uuid.UUID) (*T, error) {
	return db.Take[T](d.Conn(ctx).Where("id = ?", id), ErrNotFound, fmt.Sprintf("%T %s", *new(T), id))
}

// Relock reads the row of type T with primary key id again, locked with
// strength ("UPDATE", "SHARE") on PostgreSQL until ctx's transaction ends
// (ErrNotFound when it is gone); SQLite admits one writer at a time and
// needs no lock. A PUT saves every column of the row, so it must start from
// the row as it is under the lock, not from the copy its handler loaded
// before the transaction: that copy undid a move committed in between, and
// its access check was made on a project the row may have left. The
// widget-config store shares it.
func Relock[T any](ctx context.Context, d *db.DB, id uuid.UUID, strength string) (*T, error) {
	q := d.Conn(ctx)
	if d.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: strength})
	}
	return db.Take[T](q.Where("id = ?", id), ErrNotFound, fmt.Sprintf("%T %s", *new(T), id))
}

// Relock reads d's row again into d, locked FOR UPDATE on PostgreSQL until
// ctx's transaction ends (see the function Relock).
func (s *Store) Relock(ctx context.Context, d *model.Dashboard) error {
	fresh, err := Relock[model.Dashboard](ctx, s.db, d.ID, "UPDATE")
	if err != nil {
		return err
	}
	*d = *fresh
	return nil
}

// Get loads one dashboard.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*model.Dashboard, error) {
	return Take[model.Dashboard](ctx, s.db, id)
}

// exists reports whether a row of model m has primary key id.
func (s *Store) exists(ctx context.Context, m any, id uuid.UUID) (bool, error) {
	return db.Exists(s.db.Conn(ctx).Model(m).Where("id = ?", id), fmt.Sprintf("%T id", m))
}

// ProjectExists reports whether project id exists.
func (s *Store) ProjectExists(ctx context.Context, id uuid.UUID) (bool, error) {
	return s.exists(ctx, &model.Project{}, id)
}

// UserExists reports whether user id exists.
func (s *Store) UserExists(ctx context.Context, id uuid.UUID) (bool, error) {
	return s.exists(ctx, &model.User{}, id)
}

// Create inserts d.
func (s *Store) Create(ctx context.Context, d *model.Dashboard) error {
	return s.db.Conn(ctx).Create(d).Error
}

// Save writes every column of d.
func (s *Store) Save(ctx context.Context, d *model.Dashboard) error {
	return s.db.Conn(ctx).Save(d).Error
}

// WidgetProjects lists the distinct projects (nil: global) of the widget
// configs on dashboard id.
func (s *Store) WidgetProjects(ctx context.Context, id uuid.UUID) ([]*uuid.UUID, error) {
	var ws []model.WidgetConfig
	if err := s.db.Conn(ctx).Select("id", "project_id").Where("dashboard_id = ?", id).Find(&ws).Error; err != nil {
		return nil, fmt.Errorf("load dashboard widgets: %w", err)
	}
	seen := map[string]bool{}
	var out []*uuid.UUID
	for _, w := range ws {
		key := ""
		if w.ProjectID != nil {
			key = w.ProjectID.String()
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, w.ProjectID)
		}
	}
	return out, nil
}

// Move gives dashboard d's widget configs d's project and takes d away as
// the default dashboard of every other project (d.ProjectID is already the
// new project). Call it inside the transaction that saves d.
func (s *Store) Move(ctx context.Context, d *model.Dashboard) error {
	conn := s.db.Conn(ctx)
	if err := conn.Model(&model.WidgetConfig{}).Where("dashboard_id = ?", d.ID).Update("project_id", nullable(d.ProjectID)).Error; err != nil {
		return fmt.Errorf("move dashboard widgets: %w", err)
	}
	stale := conn.Model(&model.Project{}).Where("default_dashboard_id = ?", d.ID)
	if d.ProjectID != nil {
		stale = stale.Where("id <> ?", *d.ProjectID)
	}
	if err := stale.Update("default_dashboard_id", nil).Error; err != nil {
		return fmt.Errorf("clear default dashboard: %w", err)
	}
	return nil
}

// Delete removes dashboard id and what hangs on it in one transaction:
// projects lose it as their default, its widget configs go with it.
func (s *Store) Delete(ctx context.Context, id uuid.UUID) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		if err := conn.Model(&model.Project{}).Where("default_dashboard_id = ?", id).Update("default_dashboard_id", nil).Error; err != nil {
			return err
		}
		if err := conn.Where("dashboard_id = ?", id).Delete(&model.WidgetConfig{}).Error; err != nil {
			return err
		}
		return conn.Delete(&model.Dashboard{}, "id = ?", id).Error
	})
}

// nullable is id as a query argument (SQL NULL when nil).
func nullable(id *uuid.UUID) any {
	if id == nil {
		return nil
	}
	return *id
}
