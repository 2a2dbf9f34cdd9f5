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

// Bootstrap creates the first superadmin at start-up
// (docs/api-compatibility.md#roles-and-the-bootstrap-superadmin) from
// IBUTSU_SUPERADMIN_*. When nothing is configured and generate is true (the
// embedded mode), a superadmin admin@example.com with a random password is
// created once and the password returned so it can be printed; it is "" in
// every other case.
//
// Unlike upstream, it never promotes an account it did not create: anybody
// can register an address, so an account that merely carries the configured
// e-mail (registered after the superadmin changed theirs, or spelled with
// other case) proves nothing. The accounts it creates are recorded
// (SecurityTable.bootstrap_created) and only those are promoted again (and
// re-activated) should an administrator have demoted them. The configured
// e-mail is matched exactly; a different account holding it, in any case, is
// left alone with a warning, and start-up goes on.
func Bootstrap(ctx context.Context, s *Store, cfg config.Superadmin, bcryptCost int, generate bool, projects ProjectCreator, log *slog.Logger) (email, generatedPassword string, err error) {
	email, password := cfg.Email, cfg.Password
	if email == "" {
		if !generate {
			return "", "", nil
		}
		email = "admin@example.com"
		if _, err := s.ByExactEmail(ctx, email); err == nil {
			return email, "", nil // generated on an earlier start
		}
		var b [18]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", "", fmt.Errorf("generate password: %w", err)
		}
		password = base64.RawURLEncoding.EncodeToString(b[:])
		generatedPassword = password
	}
	u, err := s.ByExactEmail(ctx, email)
	existed := err == nil
	switch {
	case errors.Is(err, auth.ErrUserNotFound):
		if password == "" {
			return "", "", errors.New("IBUTSU_SUPERADMIN_PASSWORD: required with IBUTSU_SUPERADMIN_EMAIL to create the superadmin")
		}
		u, err = bootstrapCreate(ctx, s, email, password, cfg.Name, bcryptCost)
		switch {
		case errors.Is(err, errEmailTaken):
			// Another replica starting at the same moment may have created
			// it between the lookup above and the lock: then it is ours
			// as much as theirs. Otherwise the address is another case.
			if u, err = s.ByExactEmail(ctx, email); errors.Is(err, auth.ErrUserNotFound) {
				log.Warn("superadmin not created: another account holds this e-mail in other case; promote an account through the admin API instead", "email", email)
				return "", generatedPassword, nil
			} else if err != nil {
				return "", "", err
			}
			generatedPassword = ""
		case err != nil:
			return "", "", err
		default:
			log.Info("superadmin created", "email", email)
		}
	case err != nil:
		return "", "", err
	case !u.IsSuperadmin:
		ours, err := s.bootstrapCreated(ctx, u.ID)
		if err != nil {
			return "", "", err
		}
		if !ours {
			log.Warn("superadmin not promoted: the account with this e-mail was not created by the bootstrap; promote it through the admin API if it is yours", "email", email)
			return email, generatedPassword, nil
		}
		u.IsSuperadmin, u.IsActive = true, true
		if err := s.Save(ctx, u); err != nil {
			return "", "", err
		}
		log.Info("bootstrap superadmin promoted again", "email", email)
	}
	if existed && cfg.Password != "" {
		log.Warn(PasswordIgnoredHint, "email", email)
	}
	if cfg.OwnProject != "" && projects != nil {
		if err := projects.EnsureOwnedProject(ctx, cfg.OwnProject, u); err != nil {
			return "", "", err
		}
	}
	return email, generatedPassword, nil
}

// errEmailTaken is bootstrapCreate's answer when an account holds the
// address, in any case, by the time the address's lock is taken.
var errEmailTaken = errors.New("e-mail taken")

// bootstrapCreate creates the superadmin and records that the bootstrap
// created it, in one transaction. The check that the address is free is in
// that transaction, under the address's lock: replicas started together
// all run the bootstrap at once, and without the lock every one of them but
// the first failed on the unique e-mail index and exited.
func bootstrapCreate(ctx context.Context, s *Store, email, password, name string, bcryptCost int) (*model.User, error) {
	hash, err := HashPassword(password, bcryptCost)
	if err != nil {
		return nil, err
	}
	u := &model.User{Email: email, Password: &hash, Name: &name, IsSuperadmin: true, IsActive: true}
	err = s.WithTx(ctx, func(ctx context.Context) error {
		if n, err := s.emailHolders(ctx, email, nil); err != nil {
			return err
		} else if n > 0 {
			return errEmailTaken
		}
		if err := s.Create(ctx, u); err != nil {
			return err
		}
		return s.markBootstrapCreated(ctx, u.ID)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
