package group

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Service holds the rules of /api/group: everyone reads, only superadmins
// write (see the package comment).
type Service struct {
	store *Store
}

// NewService builds the service.
func NewService(store *Store) *Service { return &Service{store: store} }

// List is one page of groups and the total.
func (s *Service) List(ctx context.Context, number, size int) ([]model.Group, int64, error) {
	return s.store.List(ctx, number, size)
}

// CanWrite is the 403 for anyone but a superadmin; the handlers ask it
// before they read a body.
func (s *Service) CanWrite(u *model.User) error {
	if u == nil || !u.IsSuperadmin {
		return apperr.Forbidden()
	}
	return nil
}

// Create adds a group with id (a fresh one when nil); a taken id is a 400.
func (s *Service) Create(ctx context.Context, u *model.User, id *uuid.UUID, r Request) (*model.Group, error) {
	if err := s.CanWrite(u); err != nil {
		return nil, err
	}
	g := &model.Group{ID: uuid.New(), Name: r.Name.Value, Data: r.Metadata}
	if id != nil {
		taken, err := s.store.Exists(ctx, *id)
		if err != nil {
			return nil, err
		}
		if taken {
			return nil, apperr.BadRequest("The group with ID %s already exists", *id)
		}
		g.ID = *id
	}
	if err := s.store.Create(ctx, g); err != nil {
		return nil, err
	}
	return g, nil
}

// Get is group id (404 when missing).
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*model.Group, error) {
	g, err := s.store.Get(ctx, id)
	return g, apperr.NotFoundIf(err, ErrNotFound, "Group not found")
}

// Editable is group id when u may change it (403 first, then 404).
func (s *Service) Editable(ctx context.Context, u *model.User, id uuid.UUID) (*model.Group, error) {
	if err := s.CanWrite(u); err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Update applies r to g (from Editable): a named name replaces, metadata
// merges deeply into the stored metadata.
//
// g is read again under its row lock (Store.Relock) in the transaction
// that saves it: the save writes every column, so merging into the copy
// Editable read would drop the keys and name another update committed in
// between.
func (s *Service) Update(ctx context.Context, g *model.Group, r Request) (*model.Group, error) {
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.Relock(ctx, g); err != nil {
			return apperr.NotFoundIf(err, ErrNotFound, "Group not found")
		}
		if r.Name.Set {
			g.Name = r.Name.Value
		}
		if r.Metadata != nil {
			g.Data = model.DeepMerge(g.Data, r.Metadata)
		}
		return s.store.Save(ctx, g)
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}
