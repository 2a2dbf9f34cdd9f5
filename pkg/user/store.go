// Package user stores accounts and bootstraps the first superadmin.
package user

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Store reads and writes users.
type Store struct {
	db  *db.DB
	now func() time.Time
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d, now: time.Now} }

// ByID loads a user; auth.ErrUserNotFound when missing.
func (s *Store) ByID(ctx context.Context, id uuid.UUID) (*model.User, error) {
	return db.Take[model.User](s.db.Conn(ctx).Where("id = ?", id), auth.ErrUserNotFound, "user")
}

// ByEmail loads a user by e-mail: the account spelled exactly so, else the
// one account spelled so up to case. auth.ErrUserNotFound when there is none,
// or when several accounts differ only by case (a database written by
// upstream may hold such pairs; guessing between them could log one user in
// as another, so neither matches by a case variant).
func (s *Store) ByEmail(ctx context.Context, email string) (*model.User, error) {
	var list []model.User
	err := s.db.Conn(ctx).Where("lower(email) = lower(?)", email).Limit(10).Find(&list).Error
	if err != nil {
		return nil, fmt.Errorf("load user by email: %w", err)
	}
	for i := range list {
		if list[i].Email == email {
			return &list[i], nil
		}
	}
	if len(list) != 1 {
		return nil, auth.ErrUserNotFound
	}
	return &list[0], nil
}

// ByExactEmail loads the user whose e-mail is exactly email (byte for
// byte); auth.ErrUserNotFound when none is. Decisions about identity that
// nobody typed a password for (the bootstrap) use it.
func (s *Store) ByExactEmail(ctx context.Context, email string) (*model.User, error) {
	return db.Take[model.User](s.db.Conn(ctx).Where("email = ?", email), auth.ErrUserNotFound, "user by exact email")
}

// Create inserts a user, generating its id when unset.
func (s *Store) Create(ctx context.Context, u *model.User) error {
	if u.ID == uuid.Nil {
		u.ID = uuid.New()
	}
	return db.Done(s.db.Conn(ctx).Create(u), "create user")
}

// Relock reads u's row again into u, locked FOR UPDATE on PostgreSQL until
// ctx's transaction ends (auth.ErrUserNotFound when it is gone). Save
// writes every column, so a change must start from the row as it is, not
// from a copy read before the transaction: a password reset, a recovery
// mail or an admin's edit saved over a copy read earlier undid what another
// request committed in between (an administrator's deactivation or
// demotion, a new password). Call it inside a transaction, before reading
// anything from u.
func (s *Store) Relock(ctx context.Context, u *model.User) error {
	q := s.db.Conn(ctx)
	if s.db.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	fresh, err := db.Take[model.User](q.Where("id = ?", u.ID), auth.ErrUserNotFound, "user")
	if err != nil {
		return err
	}
	*u = *fresh
	return nil
}

// Save writes every column of u. Every change of an account goes through
// here (profile, admin, reset, activation, also from other packages), so
// the rules of service.go that follow from a change (passwordReplaced,
// activationFlipped) are enforced here, in the same transaction.
func (s *Store) Save(ctx context.Context, u *model.User) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		var old model.User
		err := s.db.Conn(ctx).Select("_password", "is_active").Where("id = ?", u.ID).Take(&old).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			if err := s.db.Conn(ctx).Save(u).Error; err != nil {
				return fmt.Errorf("save user: %w", err)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("load user before save: %w", err)
		}
		if activationFlipped(&old, u) {
			p, err := s.CodePurposeOf(ctx, u)
			if err != nil {
				return err
			}
			if p == PurposeActivation {
				u.ActivationCode = nil
			}
		}
		if err := s.db.Conn(ctx).Save(u).Error; err != nil {
			return fmt.Errorf("save user: %w", err)
		}
		if passwordReplaced(&old, u) {
			return s.endLoginTokens(ctx, u.ID, s.now())
		}
		return nil
	})
}

// ByAPIToken loads the user of an API token only while a tokens row holds
// exactly that JWT (one query, on the tokens(user_id) index);
// auth.ErrTokenRevoked when the row is gone, auth.ErrUserNotFound when the
// user is.
func (s *Store) ByAPIToken(ctx context.Context, id uuid.UUID, token string) (*model.User, error) {
	return s.byToken(ctx, id, "api", "EXISTS (SELECT 1 FROM tokens t WHERE t.user_id = users.id AND t.token = ?)", token)
}

// byToken loads user id if cond (a condition on the users row with one
// argument) holds: auth.ErrTokenRevoked when the user exists but cond does
// not hold, auth.ErrUserNotFound when the user is gone.
func (s *Store) byToken(ctx context.Context, id uuid.UUID, kind, cond string, arg any) (*model.User, error) {
	var u model.User
	err := s.db.Conn(ctx).Where("id = ? AND "+cond, id, arg).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if _, err := s.ByID(ctx, id); err != nil {
			return nil, err
		}
		return nil, auth.ErrTokenRevoked
	}
	if err != nil {
		return nil, fmt.Errorf("load user by %s token: %w", kind, err)
	}
	return &u, nil
}

// ByActivationCode finds the user holding a registration or recovery code;
// auth.ErrUserNotFound when none does.
func (s *Store) ByActivationCode(ctx context.Context, code string) (*model.User, error) {
	return db.Take[model.User](s.db.Conn(ctx).Where("activation_code = ?", code), auth.ErrUserNotFound, "user by activation code")
}

// WithTx runs fn in one transaction on the store's database; the store's
// methods called with fn's context take part in it.
func (s *Store) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.WithTx(ctx, fn)
}

// EnsureEmailFree fails with upstream's 400 when another account (not
// self, which may be nil) already uses email, compared without regard to
// case: two accounts never differ only by case, so an e-mail names one
// account however it is typed. Both sides are lowered by the database, so
// the comparison is the same one ByEmail makes.
//
// Inside a transaction on PostgreSQL it first takes a transaction lock on
// the lowered address, so two requests racing with case variants of one
// address are checked one after the other (the caller inserts or updates in
// the same transaction). SQLite runs one writer at a time.
func (s *Store) EnsureEmailFree(ctx context.Context, email string, self *model.User) error {
	n, err := s.emailHolders(ctx, email, self)
	if err != nil {
		return err
	}
	if n > 0 {
		return apperr.BadRequest("The user with email %s already exists", email)
	}
	return nil
}

// emailHolders counts the accounts other than self (which may be nil) whose
// e-mail is email in any case, first taking the address's transaction lock
// when inside a transaction on PostgreSQL (see EnsureEmailFree).
func (s *Store) emailHolders(ctx context.Context, email string, self *model.User) (int64, error) {
	if err := s.lockEmail(ctx, email); err != nil {
		return 0, err
	}
	q := s.db.Conn(ctx).Model(&model.User{}).Where("lower(email) = lower(?)", email)
	if self != nil {
		q = q.Where("id <> ?", self.ID)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("check email: %w", err)
	}
	return n, nil
}

// lockEmail takes, inside a transaction on PostgreSQL, the transaction lock
// on the lowered address that every check-then-write of an address holds
// (EnsureEmailFree, the bootstrap, ByEmailOrCreate). Outside a transaction
// and on SQLite (one writer at a time) it does nothing.
func (s *Store) lockEmail(ctx context.Context, email string) error {
	if !db.InTx(ctx) {
		return nil
	}
	return s.db.TxLock(ctx, "email", gorm.Expr("'ibutsu-email:' || lower(?)", email))
}

// ByEmailOrCreate returns the account ByEmail finds for u.Email, or stores
// u when there is none (created is then true), in one transaction under the
// address's lock. An OAuth/OIDC sign-in creates the account of an unknown
// verified address this way: a person's first sign-in often comes as two
// requests at once (two tabs, a retried callback, replicas behind a load
// balancer), and looked up and inserted apart, both found nothing, both
// inserted, and the second failed on the unique e-mail index.
func (s *Store) ByEmailOrCreate(ctx context.Context, u *model.User) (out *model.User, created bool, err error) {
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.lockEmail(ctx, u.Email); err != nil {
			return err
		}
		found, err := s.ByEmail(ctx, u.Email)
		if err == nil {
			out = found
			return nil
		}
		if !errors.Is(err, auth.ErrUserNotFound) {
			return err
		}
		if err := s.Create(ctx, u); err != nil {
			return err
		}
		out, created = u, true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return out, created, nil
}
