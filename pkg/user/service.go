package user

import (
	"context"
	"errors"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Service holds the rules of changing an account: e-mails stay unique
// without regard to case, passwords are re-hashed (and, through
// Store.Save, end the account's older login tokens).
type Service struct {
	store      *Store
	bcryptCost int
}

// NewService builds the service.
func NewService(store *Store, bcryptCost int) *Service {
	return &Service{store: store, bcryptCost: bcryptCost}
}

// Current reloads the caller so the answer reflects the stored row; a user
// deleted since the token was checked is upstream's 401 "Unauthorized".
func (s *Service) Current(ctx context.Context, caller *model.User) (*model.User, error) {
	u, err := s.store.ByID(ctx, caller.ID)
	if errors.Is(err, auth.ErrUserNotFound) {
		return nil, apperr.Unauthorized()
	}
	return u, err
}

// UpdateOwn applies a PUT /user body to the caller's own account in one
// transaction and returns the stored account.
//
// A user may not move their own account to another address (a change of
// case only is the same mailbox): the address is unverified, and it is what
// a project owner adds members by and what an OAuth/OIDC sign-in with that
// verified address logs into. Moving to a colleague's address before they
// sign up would hand the attacker the projects meant for them, or the
// victim's sign-ins into the attacker's account. Administrators change
// addresses (theirs too). The refusal comes before any lookup, so it does
// not tell which addresses have accounts.
//
// The row is read under its lock in the transaction that saves it
// (Store.Relock), so a change an administrator commits meanwhile is not
// undone by saving an older copy.
func (s *Service) UpdateOwn(ctx context.Context, caller *model.User, req ProfileRequest) (*model.User, error) {
	u := &model.User{ID: caller.ID}
	err := s.store.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.Relock(ctx, u); errors.Is(err, auth.ErrUserNotFound) {
			return apperr.Unauthorized()
		} else if err != nil {
			return err
		}
		if req.Email != nil && !u.IsSuperadmin && !strings.EqualFold(*req.Email, u.Email) {
			return apperr.BadRequest("Bad request, only an administrator can change the e-mail address of an account")
		}
		if err := s.ApplyProfile(ctx, u, req); err != nil {
			return err
		}
		return s.store.Save(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ApplyProfile copies name, email and password from req onto u (the
// caller saves): the e-mail must stay unique, the password is re-hashed.
// Shared by PUT /user and the admin user routes.
func (s *Service) ApplyProfile(ctx context.Context, u *model.User, req ProfileRequest) error {
	if req.Name.Set {
		u.Name = req.Name.Value
	}
	if req.Email != nil && *req.Email != u.Email {
		if err := s.store.EnsureEmailFree(ctx, *req.Email, u); err != nil {
			return err
		}
		u.Email = *req.Email
	}
	if req.Password != nil {
		if *req.Password == "" {
			return apperr.BadRequest("Bad request, the password must not be empty")
		}
		hash, err := HashPassword(*req.Password, s.bcryptCost)
		if errors.Is(err, ErrPasswordTooLong) {
			return PasswordTooLong()
		}
		if err != nil {
			return err
		}
		u.Password = &hash
	}
	return nil
}

// passwordReplaced reports whether saving u over old replaces a password: a
// new password ends the user's older login tokens (API tokens, rows in
// tokens, stay until revoked).
func passwordReplaced(old, u *model.User) bool {
	return old.Password != nil && (u.Password == nil || *u.Password != *old.Password)
}

// activationFlipped reports whether saving u over old changes is_active: a
// pending activation code then goes, so an account an administrator
// activated or deactivated cannot be flipped by an old registration link.
func activationFlipped(old, u *model.User) bool {
	return old.IsActive != u.IsActive
}
