package token

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Service holds the rules of a user's own API tokens: they must expire, in
// the future, may not take the login token's name, and only their owner may
// read or delete them.
type Service struct {
	store  *Store
	signer *auth.Signer
	now    func() time.Time
}

// NewService builds the service.
func NewService(store *Store, signer *auth.Signer) *Service {
	return &Service{store: store, signer: signer, now: time.Now}
}

// List returns one page of u's API tokens and their total.
func (s *Service) List(ctx context.Context, u *model.User, page, pageSize int) ([]model.Token, int64, error) {
	return s.store.List(ctx, u.ID, page, pageSize)
}

// Create mints and stores an API token whose JWT `exp` is the requested
// expiry. Tokens must expire (a null `expires` is a 400, where upstream
// crashes), in the future, and may not take the reserved login-token name.
func (s *Service) Create(ctx context.Context, u *model.User, req CreateRequest) (*model.Token, error) {
	if strings.TrimSpace(req.Name) == "" {
		return nil, apperr.BadRequest("Bad request, token name is required")
	}
	if req.Name == LoginName {
		return nil, apperr.BadRequest("Bad request, the token name %s is reserved", LoginName)
	}
	if req.Expires == nil || strings.TrimSpace(*req.Expires) == "" {
		return nil, apperr.BadRequest("Bad request, expires is required: API tokens must have an expiry date")
	}
	exp, err := model.ParseTime(*req.Expires)
	if err != nil {
		return nil, apperr.BadRequest("Bad request, expires %q is not an ISO-8601 date-time", *req.Expires)
	}
	exp = exp.Truncate(time.Second)
	if !exp.After(s.now()) {
		return nil, apperr.BadRequest("Bad request, expires must be in the future")
	}
	jwt, err := s.signer.IssueUntil(u.ID, exp)
	if err != nil {
		return nil, err
	}
	t := &model.Token{Name: req.Name, Token: jwt, Expires: &exp, UserID: &u.ID}
	if err := s.store.Create(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// Get loads one of u's tokens: 404 "Token not found", 403 for another's.
func (s *Service) Get(ctx context.Context, u *model.User, id uuid.UUID) (*model.Token, error) {
	return s.owned(ctx, u, id, "Token not found")
}

// Delete revokes one of u's tokens (404 "Not Found", as upstream words it
// on this route; 403 for another's).
func (s *Service) Delete(ctx context.Context, u *model.User, id uuid.UUID) error {
	t, err := s.owned(ctx, u, id, "Not Found")
	if err != nil {
		return err
	}
	return s.store.Delete(ctx, t.ID)
}

// owned loads a token and checks it is u's.
func (s *Service) owned(ctx context.Context, u *model.User, id uuid.UUID, notFound string) (*model.Token, error) {
	t, err := s.store.ByID(ctx, id)
	if err != nil {
		return nil, apperr.NotFoundIf(err, ErrNotFound, notFound)
	}
	if t.UserID == nil || *t.UserID != u.ID {
		return nil, apperr.Forbidden()
	}
	return t, nil
}
