package user

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// SecurityTable is our own per-user table (migration 00007): the login-token
// cut-off, the purpose and age of the account's e-mailed code, and whether the
// bootstrap created the account. Upstream's users table is left as upstream
// builds it, so a Python server sharing the database keeps working (it simply
// does not honour these rules).
const SecurityTable = "ibutsu_account_security"

// CodePurpose says what an e-mailed code may be used for: a code is good for
// exactly one purpose, so a password-reset link can never activate an
// account an administrator deactivated.
type CodePurpose string

// The purposes of a users.activation_code.
const (
	// PurposeActivation is the code registration mails; it activates the account.
	PurposeActivation CodePurpose = "activation"
	// PurposeReset is the code recovery mails; it sets a new password and
	// never changes is_active.
	PurposeReset CodePurpose = "reset"
)

// ErrCodeNotValid is returned for a code that is unknown, was issued for
// another purpose, has expired, or was issued outside this server (no row
// describes it). Callers answer all of these the same way.
var ErrCodeNotValid = errors.New("code not valid")

// securityRow is one row of SecurityTable. Times are unix seconds, which
// both dialects store and compare the same way.
type securityRow struct {
	UserID           uuid.UUID `gorm:"column:user_id;type:uuid;primaryKey"`
	LoginNotBefore   *int64    `gorm:"column:login_not_before"`
	CodeHash         *string   `gorm:"column:code_hash"`
	CodePurpose      *string   `gorm:"column:code_purpose"`
	CodeIssuedAt     *int64    `gorm:"column:code_issued_at"`
	BootstrapCreated bool      `gorm:"column:bootstrap_created"`
}

func (securityRow) TableName() string { return SecurityTable }

// codeHash is what the table keeps of a code: enough to tell that the row
// describes the code now in users.activation_code, never the code itself.
func codeHash(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// security loads a user's row; a missing row is the zero row.
func (s *Store) security(ctx context.Context, id uuid.UUID) (securityRow, error) {
	var r securityRow
	err := s.db.Conn(ctx).Where("user_id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return securityRow{UserID: id}, nil
	}
	if err != nil {
		return r, fmt.Errorf("load account security: %w", err)
	}
	return r, nil
}

// upsertSecurity writes the named columns of a user's row, creating it.
func (s *Store) upsertSecurity(ctx context.Context, r securityRow, columns ...string) error {
	err := s.db.Conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns(columns),
	}).Create(&r).Error
	if err != nil {
		return fmt.Errorf("store account security: %w", err)
	}
	return nil
}

// SetCode stores code as u's e-mailed code for purpose, issued at now, and
// replaces any earlier code (so at most one link works at a time). u is
// read again under its row lock first (Relock): an anonymous recovery
// request saving the copy it read before would undo an administrator's
// change committed in between.
func (s *Store) SetCode(ctx context.Context, u *model.User, code string, purpose CodePurpose, now time.Time) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Relock(ctx, u); err != nil {
			return err
		}
		u.ActivationCode = &code
		if err := s.Save(ctx, u); err != nil {
			return err
		}
		h, p, at := codeHash(code), string(purpose), now.Unix()
		return s.upsertSecurity(ctx, securityRow{UserID: u.ID, CodeHash: &h, CodePurpose: &p, CodeIssuedAt: &at},
			"code_hash", "code_purpose", "code_issued_at")
	})
}

// ByCode finds the user holding code, if the code was issued by this server
// for purpose and less than maxAge before now; every other case is
// ErrCodeNotValid (wrapped with the reason, for the log). maxAge <= 0 means
// codes do not expire.
func (s *Store) ByCode(ctx context.Context, code string, purpose CodePurpose, maxAge time.Duration, now time.Time) (*model.User, error) {
	u, err := s.ByActivationCode(ctx, code)
	if errors.Is(err, auth.ErrUserNotFound) {
		return nil, fmt.Errorf("%w: unknown", ErrCodeNotValid)
	}
	if err != nil {
		return nil, err
	}
	r, err := s.security(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	switch {
	case r.CodeHash == nil || *r.CodeHash != codeHash(code) || r.CodePurpose == nil || r.CodeIssuedAt == nil:
		return nil, fmt.Errorf("%w: not issued by this server", ErrCodeNotValid)
	case *r.CodePurpose != string(purpose):
		return nil, fmt.Errorf("%w: issued for %s, used for %s", ErrCodeNotValid, *r.CodePurpose, purpose)
	case maxAge > 0 && now.Sub(time.Unix(*r.CodeIssuedAt, 0)) >= maxAge:
		return nil, fmt.Errorf("%w: expired", ErrCodeNotValid)
	}
	return u, nil
}

// CodePurposeOf reports the purpose of u's current code, "" when it has
// none or none this server issued.
func (s *Store) CodePurposeOf(ctx context.Context, u *model.User) (CodePurpose, error) {
	if u.ActivationCode == nil {
		return "", nil
	}
	r, err := s.security(ctx, u.ID)
	if err != nil || r.CodeHash == nil || *r.CodeHash != codeHash(*u.ActivationCode) || r.CodePurpose == nil {
		return "", err
	}
	return CodePurpose(*r.CodePurpose), nil
}

// LoginNotBefore is when u's login tokens start to count: tokens issued
// (iat) earlier were ended by a password change or reset. Zero when never.
func (s *Store) LoginNotBefore(ctx context.Context, id uuid.UUID) (time.Time, error) {
	r, err := s.security(ctx, id)
	if err != nil || r.LoginNotBefore == nil {
		return time.Time{}, err
	}
	return time.Unix(*r.LoginNotBefore, 0), nil
}

// endLoginTokens refuses every login token of id issued up to now. Token
// times are whole seconds, so the cut-off is the next full second: a token
// minted in the same second as the change, before or after it, is refused,
// and a new login waits for the cut-off (see WaitForLoginCutoff).
func (s *Store) endLoginTokens(ctx context.Context, id uuid.UUID, now time.Time) error {
	nb := now.Truncate(time.Second).Add(time.Second).Unix()
	return s.upsertSecurity(ctx, securityRow{UserID: id, LoginNotBefore: &nb}, "login_not_before")
}

// ByLoginToken loads the user of a login token issued at iat; a token
// issued before the user's last password change is auth.ErrTokenRevoked.
// One query: the cut-off is joined to the user row.
func (s *Store) ByLoginToken(ctx context.Context, id uuid.UUID, iat time.Time) (*model.User, error) {
	return s.byToken(ctx, id, "login",
		"NOT EXISTS (SELECT 1 FROM "+SecurityTable+" s WHERE s.user_id = users.id AND s.login_not_before > ?)", iat.Unix())
}

// markBootstrapCreated records that the bootstrap created id.
func (s *Store) markBootstrapCreated(ctx context.Context, id uuid.UUID) error {
	return s.upsertSecurity(ctx, securityRow{UserID: id, BootstrapCreated: true}, "bootstrap_created")
}

// bootstrapCreated reports whether the bootstrap created id.
func (s *Store) bootstrapCreated(ctx context.Context, id uuid.UUID) (bool, error) {
	r, err := s.security(ctx, id)
	return r.BootstrapCreated, err
}
