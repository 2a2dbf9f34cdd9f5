package user

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// ProjectCreator creates the superadmin's own project when
// IBUTSU_SUPERADMIN_OWN_PROJECT is set; kept as an interface so this package
// does not depend on the project package.
type ProjectCreator interface {
	EnsureOwnedProject(ctx context.Context, name string, owner *model.User) error
}

// Bootstrap creates the first superadmin as upstream does at start-up
// (contract §3.3): from IBUTSU_SUPERADMIN_* when set; an existing user with
// that e-mail is promoted (password untouched). When nothing is configured
// and generate is true (the embedded mode), a superadmin admin@example.com
// with a random password is created once and the password returned so it can
// be printed; it is "" in every other case.
func Bootstrap(ctx context.Context, s *Store, cfg config.Superadmin, bcryptCost int, generate bool, projects ProjectCreator, log *slog.Logger) (email, generatedPassword string, err error) {
	email, password := cfg.Email, cfg.Password
	if email == "" {
		if !generate {
			return "", "", nil
		}
		email = "admin@example.com"
		if _, err := s.ByEmail(ctx, email); err == nil {
			return email, "", nil // generated on an earlier start
		}
		var b [18]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", "", fmt.Errorf("generate password: %w", err)
		}
		password = base64.RawURLEncoding.EncodeToString(b[:])
		generatedPassword = password
	}
	u, err := s.ByEmail(ctx, email)
	switch {
	case errors.Is(err, auth.ErrUserNotFound):
		if password == "" {
			return "", "", errors.New("IBUTSU_SUPERADMIN_PASSWORD: required with IBUTSU_SUPERADMIN_EMAIL to create the superadmin")
		}
		hash, err := HashPassword(password, bcryptCost)
		if err != nil {
			return "", "", err
		}
		name := cfg.Name
		u = &model.User{Email: email, Password: &hash, Name: &name, IsSuperadmin: true, IsActive: true}
		if err := s.Create(ctx, u); err != nil {
			return "", "", err
		}
		log.Info("superadmin created", "email", email)
	case err != nil:
		return "", "", err
	case !u.IsSuperadmin:
		u.IsSuperadmin = true
		u.IsActive = true
		if err := s.Save(ctx, u); err != nil {
			return "", "", err
		}
		log.Info("existing user promoted to superadmin", "email", email)
	}
	if err == nil && cfg.Password != "" {
		log.Warn(PasswordIgnoredHint, "email", email)
	}
	if cfg.OwnProject != "" && projects != nil {
		if err := projects.EnsureOwnedProject(ctx, cfg.OwnProject, u); err != nil {
			return "", "", err
		}
	}
	return email, generatedPassword, nil
}
