package login

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/token"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// store is what the account routes read and write: accounts and their
// e-mailed codes (user.Store) and the login token row (token.Store). The
// writes that must land together are one method here, in one transaction.
type store struct {
	users  *user.Store
	tokens *token.Store
}

// byEmail finds the account with email (case-insensitively); nil when
// there is none.
func (st store) byEmail(ctx context.Context, email string) (*model.User, error) {
	u, err := st.users.ByEmail(ctx, email)
	if errors.Is(err, auth.ErrUserNotFound) {
		return nil, nil
	}
	return u, err
}

// register stores a new account with its activation code, refusing an
// e-mail already taken (upstream's 400), in one transaction.
func (st store) register(ctx context.Context, u *model.User, code string, now time.Time) error {
	return st.users.WithTx(ctx, func(ctx context.Context) error {
		if err := st.users.EnsureEmailFree(ctx, u.Email, nil); err != nil {
			return err
		}
		if err := st.users.Create(ctx, u); err != nil {
			return err
		}
		return st.users.SetCode(ctx, u, code, user.PurposeActivation, now)
	})
}

// externalAccount is the account of an external login's e-mail (as byEmail
// finds it), creating u when there is none; concurrent first sign-ins of
// one address get the one account (user.Store.ByEmailOrCreate).
func (st store) externalAccount(ctx context.Context, u *model.User) (*model.User, error) {
	got, _, err := st.users.ByEmailOrCreate(ctx, u)
	return got, err
}

// byCode finds the account holding a code issued for purpose less than
// maxAge before now (user.ErrCodeNotValid otherwise).
func (st store) byCode(ctx context.Context, code string, purpose user.CodePurpose, maxAge time.Duration, now time.Time) (*model.User, error) {
	return st.users.ByCode(ctx, code, purpose, maxAge, now)
}

// activate marks u active and spends its code.
func (st store) activate(ctx context.Context, u *model.User, code string) error {
	return st.spendCode(ctx, u, code, func(u *model.User) { u.IsActive = true })
}

// setPassword stores u's new password hash and spends its code.
func (st store) setPassword(ctx context.Context, u *model.User, hash, code string) error {
	return st.spendCode(ctx, u, code, func(u *model.User) { u.Password = &hash })
}

// spendCode applies change to u and spends code, in one transaction on u's
// row as it is now (user.Store.Relock), which must still hold code: two
// requests with one code (a double-clicked link, a replayed one) spent it
// once each, and a reset saved over the copy read with the code undid an
// administrator's deactivation committed in between. A code spent or
// replaced meanwhile is user.ErrCodeNotValid.
func (st store) spendCode(ctx context.Context, u *model.User, code string, change func(*model.User)) error {
	return st.users.WithTx(ctx, func(ctx context.Context) error {
		if err := st.users.Relock(ctx, u); err != nil {
			return err
		}
		if u.ActivationCode == nil || *u.ActivationCode != code {
			return fmt.Errorf("%w: spent meanwhile", user.ErrCodeNotValid)
		}
		change(u)
		u.ActivationCode = nil
		return st.users.Save(ctx, u)
	})
}

// codePurposeOf is the purpose of u's current code ("" for none).
func (st store) codePurposeOf(ctx context.Context, u *model.User) (user.CodePurpose, error) {
	return st.users.CodePurposeOf(ctx, u)
}

// setCode gives u a new code for purpose, replacing any earlier one.
func (st store) setCode(ctx context.Context, u *model.User, code string, purpose user.CodePurpose, now time.Time) error {
	return st.users.SetCode(ctx, u, code, purpose, now)
}

// loginNotBefore is when u's login tokens start to count.
func (st store) loginNotBefore(ctx context.Context, id uuid.UUID) (time.Time, error) {
	return st.users.LoginNotBefore(ctx, id)
}

// saveLoginToken stores jwt as the user's one login-token row.
func (st store) saveLoginToken(ctx context.Context, id uuid.UUID, jwt string) error {
	return st.tokens.UpsertLogin(ctx, id, jwt)
}
