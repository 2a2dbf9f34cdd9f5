package group

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// ErrNotFound is Get's answer for a group that does not exist.
var ErrNotFound = errors.New("group not found")

// Store reads and writes groups.
type Store struct {
	db *db.DB
}

// NewStore builds the store.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// List is page number (from 1) of size groups ordered by name, and the total.
func (s *Store) List(ctx context.Context, number, size int) ([]model.Group, int64, error) {
	var gs []model.Group
	total, err := listing.Run(ctx, s.db, &model.Group{}, &gs, listing.Query{Page: paging.Page{Page: number, PageSize: size}, Order: "name, id"})
	return gs, total, err
}

// Get loads group id.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*model.Group, error) {
	return db.Take[model.Group](s.db.Conn(ctx).Where("id = ?", id), ErrNotFound, "group "+id.String())
}

// Relock reads g's row again into g, locked FOR UPDATE on PostgreSQL until
// ctx's transaction ends (SQLite admits one writer at a time); ErrNotFound
// when it is gone.
func (s *Store) Relock(ctx context.Context, g *model.Group) error {
	q := s.db.Conn(ctx)
	if s.db.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	fresh, err := db.Take[model.Group](q.Where("id = ?", g.ID), ErrNotFound, "group "+g.ID.String())
	if err != nil {
		return err
	}
	*g = *fresh
	return nil
}

// Tx runs fn in one transaction (nested calls join it).
func (s *Store) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.WithTx(ctx, fn)
}

// Exists reports whether group id exists.
func (s *Store) Exists(ctx context.Context, id uuid.UUID) (bool, error) {
	return db.Exists(s.db.Conn(ctx).Model(&model.Group{}).Where("id = ?", id), "group")
}

// Create inserts g.
func (s *Store) Create(ctx context.Context, g *model.Group) error {
	if err := s.db.Conn(ctx).Create(g).Error; err != nil {
		return fmt.Errorf("create group: %w", err)
	}
	return nil
}

// Save writes every column of g.
func (s *Store) Save(ctx context.Context, g *model.Group) error {
	if err := s.db.Conn(ctx).Save(g).Error; err != nil {
		return fmt.Errorf("update group: %w", err)
	}
	return nil
}
