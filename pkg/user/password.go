package user

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// ErrPasswordTooLong is returned for passwords bcrypt cannot hash (> 72 bytes).
var ErrPasswordTooLong = errors.New("password is too long (max 72 bytes)")

// HashPassword returns a bcrypt hash with upstream's `$2b$` prefix so the
// Python server verifies it too.
func HashPassword(password string, cost int) (string, error) {
	if len(password) > 72 {
		return "", ErrPasswordTooLong
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return "$2b$" + strings.TrimPrefix(string(h), "$2a$"), nil
}

// CheckPassword reports whether password matches hash. A non-bcrypt value
// (the placeholder of OAuth-created users) never matches.
func CheckPassword(hash *string, password string) bool {
	if hash == nil || !strings.HasPrefix(*hash, "$2") || len(password) > 72 {
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(*hash), []byte(password)) == nil
}
