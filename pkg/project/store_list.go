package project

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// listQuery is one page of the project list: a filter predicate, the
// optional member, owner and group restrictions, and the page.
type listQuery struct {
	Where                      string
	Args                       []any
	MemberOf, OwnerID, GroupID *uuid.UUID
	Page, PageSize             int
}

// filterWhere turns filter expressions on projects into SQL; a bad
// expression is filter's 400.
func (s *Store) filterWhere(filters []string) (string, []any, error) {
	return filter.Build(filter.DialectOf(s.db), filter.Projects, filter.Split(filters))
}

// list fetches one page of projects ordered by name, and the total.
func (s *Store) list(ctx context.Context, q listQuery) ([]model.Project, int64, error) {
	scope := func(tx *gorm.DB) *gorm.DB {
		if q.MemberOf != nil {
			tx = tx.Where("id IN (SELECT project_id FROM users_projects WHERE user_id = ?)", *q.MemberOf)
		}
		if q.OwnerID != nil {
			tx = tx.Where("owner_id = ?", *q.OwnerID)
		}
		if q.GroupID != nil {
			tx = tx.Where("group_id = ?", *q.GroupID)
		}
		return tx
	}
	var ps []model.Project
	total, err := listing.Run(ctx, s.db, &model.Project{}, &ps, listing.Query{Where: q.Where, Args: q.Args, Scope: scope,
		Page: paging.Page{Page: q.Page, PageSize: q.PageSize}, Order: "name, id"})
	if err != nil {
		return nil, 0, err
	}
	return ps, total, nil
}

// exists reports whether table has a row with id (groups, users).
func (s *Store) exists(ctx context.Context, table string, id uuid.UUID) (bool, error) {
	return db.Exists(s.db.Conn(ctx).Table(table).Where("id = ?", id), table+" id")
}

// dashboard loads one dashboard; ErrNotFound when missing.
func (s *Store) dashboard(ctx context.Context, id uuid.UUID) (*model.Dashboard, error) {
	return db.Take[model.Dashboard](s.db.Conn(ctx).Where("id = ?", id), ErrNotFound, "default dashboard")
}

// latestResult loads the project's newest result; ErrNotFound without any.
func (s *Store) latestResult(ctx context.Context, projectID uuid.UUID) (*model.Result, error) {
	q := s.db.Conn(ctx).Where("project_id = ?", projectID).Order("start_time DESC").Limit(1)
	return db.Take[model.Result](q, ErrNotFound, "latest result")
}

// WithTx runs fn in one transaction; the store's methods called with fn's
// context take part in it.
func (s *Store) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.WithTx(ctx, fn)
}
