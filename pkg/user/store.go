// Package user stores accounts and bootstraps the first superadmin.
package user

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Store reads and writes users.
type Store struct{ db *db.DB }

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// ByID loads a user; auth.ErrUserNotFound when missing.
func (s *Store) ByID(ctx context.Context, id uuid.UUID) (*model.User, error) {
	var u model.User
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, auth.ErrUserNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	return &u, nil
}

// ByEmail loads a user by e-mail (case-insensitive); auth.ErrUserNotFound when missing.
func (s *Store) ByEmail(ctx context.Context, email string) (*model.User, error) {
	var u model.User
	err := s.db.Conn(ctx).Where("lower(email) = ?", strings.ToLower(email)).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, auth.ErrUserNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load user by email: %w", err)
	}
	return &u, nil
}

// Create inserts a user, generating its id when unset.
func (s *Store) Create(ctx context.Context, u *model.User) error {
	if u.ID == uuid.Nil {
		u.ID = uuid.New()
	}
	if err := s.db.Conn(ctx).Create(u).Error; err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// Save writes every column of u.
func (s *Store) Save(ctx context.Context, u *model.User) error {
	if err := s.db.Conn(ctx).Save(u).Error; err != nil {
		return fmt.Errorf("save user: %w", err)
	}
	return nil
}

// ByAPIToken loads the user of an API token only while a tokens row holds
// exactly that JWT (one query, on the tokens(user_id) index);
// auth.ErrTokenRevoked when the row is gone, auth.ErrUserNotFound when the
// user is.
func (s *Store) ByAPIToken(ctx context.Context, id uuid.UUID, token string) (*model.User, error) {
	var u model.User
	err := s.db.Conn(ctx).
		Where("id = ? AND EXISTS (SELECT 1 FROM tokens t WHERE t.user_id = users.id AND t.token = ?)", id, token).
		Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if _, err := s.ByID(ctx, id); err != nil {
			return nil, err
		}
		return nil, auth.ErrTokenRevoked
	}
	if err != nil {
		return nil, fmt.Errorf("load user by api token: %w", err)
	}
	return &u, nil
}

// ByActivationCode finds the user holding a registration or recovery code;
// auth.ErrUserNotFound when none does.
func (s *Store) ByActivationCode(ctx context.Context, code string) (*model.User, error) {
	var u model.User
	err := s.db.Conn(ctx).Where("activation_code = ?", code).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, auth.ErrUserNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load user by activation code: %w", err)
	}
	return &u, nil
}
