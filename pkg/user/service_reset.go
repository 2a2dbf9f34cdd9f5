package user

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
)

// PasswordIgnoredHint is logged when IBUTSU_SUPERADMIN_PASSWORD is set for
// an account that already exists: it only applies on creation, and saying
// so beats a silent no-op.
const PasswordIgnoredHint = "IBUTSU_SUPERADMIN_PASSWORD is ignored: the superadmin already exists and keeps its password; to change it run: backend reset-password --email <address> (add --password-stdin to choose it)"

// ErrEmptyPassword is returned by ResetPassword for an empty new password.
var ErrEmptyPassword = errors.New("the new password is empty")

// ResetPassword gives the user with email (case-insensitive) a new password:
// the operator's way back in when the superadmin password is lost, since
// IBUTSU_SUPERADMIN_PASSWORD only applies when the account is created. It
// goes through Store.Save like every other password change.
//
// The account is read again under its row lock (Store.Relock) in the
// transaction that saves it, as every account write is: saving the copy
// the e-mail look-up read would undo an administrator's change committed
// in between (a deactivation, a rename, the superadmin flag). The hash is
// computed before, so the lock is not held through bcrypt.
func ResetPassword(ctx context.Context, s *Store, email, password string, bcryptCost int) error {
	if password == "" {
		return ErrEmptyPassword
	}
	u, err := s.ByEmail(ctx, email)
	if errors.Is(err, auth.ErrUserNotFound) {
		return fmt.Errorf("no user with e-mail %q: %w", email, err)
	}
	if err != nil {
		return err
	}
	hash, err := HashPassword(password, bcryptCost)
	if err != nil {
		return err
	}
	return s.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Relock(ctx, u); errors.Is(err, auth.ErrUserNotFound) {
			return fmt.Errorf("no user with e-mail %q: %w", email, err)
		} else if err != nil {
			return err
		}
		u.Password = &hash
		return s.Save(ctx, u)
	})
}

// ReadPassword reads a new password from the first line of r (a pipe or a
// terminal), without its line ending.
func ReadPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// GeneratePassword returns a random password (144 bits, URL-safe text).
func GeneratePassword() (string, error) {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
