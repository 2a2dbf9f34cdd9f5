// Package token owns the tokens table: users' named API tokens (JWTs they
// create for CI clients and may delete to revoke) and the `login-token` row
// every login upserts (docs/api-compatibility.md#tokens).
package token

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// LoginName names the row holding a user's latest login JWT; it is hidden
// from the token list and cannot be chosen for an API token.
const LoginName = "login-token"

// ErrNotFound is returned for an unknown token id.
var ErrNotFound = errors.New("token not found")

// Store reads and writes tokens.
type Store struct{ db *db.DB }

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// List returns one page of a user's API tokens (never the login token).
func (s *Store) List(ctx context.Context, userID uuid.UUID, page, pageSize int) ([]model.Token, int64, error) {
	var ts []model.Token
	total, err := listing.Run(ctx, s.db, &model.Token{}, &ts, listing.Query{
		Scope: func(tx *gorm.DB) *gorm.DB { return tx.Where("user_id = ? AND name <> ?", userID, LoginName) },
		Page:  paging.Page{Page: page, PageSize: pageSize}, Order: "name, id",
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list tokens: %w", err)
	}
	return ts, total, nil
}

// Create inserts t, generating its id.
func (s *Store) Create(ctx context.Context, t *model.Token) error {
	if t.ID == uuid.Nil {
		t.ID = uuid.New()
	}
	return db.Done(s.db.Conn(ctx).Create(t), "create token")
}

// ByID loads a token; ErrNotFound when missing.
func (s *Store) ByID(ctx context.Context, id uuid.UUID) (*model.Token, error) {
	return db.Take[model.Token](s.db.Conn(ctx).Where("id = ?", id), ErrNotFound, "token")
}

// Delete removes a token; the authenticator rejects its JWT from then on.
func (s *Store) Delete(ctx context.Context, id uuid.UUID) error {
	if err := s.db.Conn(ctx).Where("id = ?", id).Delete(&model.Token{}).Error; err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	return nil
}

// DeleteForUser removes every token of a user (account deletion).
func (s *Store) DeleteForUser(ctx context.Context, userID uuid.UUID) error {
	if err := s.db.Conn(ctx).Where("user_id = ?", userID).Delete(&model.Token{}).Error; err != nil {
		return fmt.Errorf("delete user tokens: %w", err)
	}
	return nil
}

// UpsertLogin stores jwt as the user's login-token row, as every login does
// upstream. Upstream's tokens table has no unique (user_id, name), so on
// PostgreSQL the update-else-insert runs under a transaction lock on the
// user: CI jobs sharing one account log in at the same moment, and without
// the lock each first login found no row and inserted its own.
func (s *Store) UpsertLogin(ctx context.Context, userID uuid.UUID, jwt string) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.TxLock(ctx, "login token", "ibutsu-login-token:"+userID.String()); err != nil {
			return err
		}
		res := s.db.Conn(ctx).Model(&model.Token{}).Where("user_id = ? AND name = ?", userID, LoginName).Update("token", jwt)
		if res.Error != nil {
			return fmt.Errorf("update login token: %w", res.Error)
		}
		if res.RowsAffected > 0 {
			return nil
		}
		return s.Create(ctx, &model.Token{Name: LoginName, Token: jwt, UserID: &userID})
	})
}
