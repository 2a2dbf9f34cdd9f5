package login

import (
	"context"
	"fmt"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// identity is what a provider tells us about the person logging in.
// EmailVerified is true only when the provider vouches that the person
// controls Email (a verified flag or its verified-address API).
type identity struct {
	Email, Name   string
	EmailVerified bool
}

// loginExternal finds the account for a provider identity, creating an
// active normal user for an unknown e-mail, and logs it in. The e-mail
// decides which account this is, so it must be one the provider vouches
// for: otherwise anyone could add our superadmin's address, unverified, to
// a provider account and be logged in as them — or pre-create an account
// for someone else's address and keep a token to it.
func (s *Service) loginExternal(ctx context.Context, provider, label string, id identity) (*model.User, string, error) {
	if !id.EmailVerified {
		return nil, "", failf(fmt.Sprintf(reasonUnverified, label), "e-mail %q is not verified by %s", id.Email, provider)
	}
	u, err := s.store.byEmail(ctx, id.Email)
	if err == nil && u == nil {
		// A placeholder that is not a bcrypt hash: password login never matches it.
		placeholder := "external:" + provider
		u = &model.User{Email: id.Email, Password: &placeholder, IsActive: true, IsSuperadmin: false}
		if id.Name != "" {
			u.Name = &id.Name
		}
		u, err = s.store.externalAccount(ctx, u)
	}
	if err != nil {
		return nil, "", err
	}
	if !u.IsActive {
		return nil, "", failf(reasonInactive, "account %s is inactive", u.ID)
	}
	jwt, err := s.issueLogin(ctx, u)
	return u, jwt, err
}
