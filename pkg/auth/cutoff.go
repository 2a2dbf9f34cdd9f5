package auth

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// LoginTokenLookup is implemented by a UserLookup that knows when each
// user's password last changed. A password change or reset ends the
// account's older login tokens: ByLoginToken fails with ErrTokenRevoked for
// a token issued (iat) before the change. API tokens are not affected; they
// live as long as their tokens row.
type LoginTokenLookup interface {
	ByLoginToken(ctx context.Context, id uuid.UUID, issuedAt time.Time) (*model.User, error)
}

// loginUser loads the user of a verified login token, refusing one that a
// password change ended when the lookup can tell.
func (a *Authenticator) loginUser(ctx context.Context, c Claims) (*model.User, error) {
	if l, ok := a.users.(LoginTokenLookup); ok {
		return l.ByLoginToken(ctx, c.Subject, c.IssuedAt)
	}
	return a.users.ByID(ctx, c.Subject)
}
