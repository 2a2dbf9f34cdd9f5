package admin

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// UserService holds the rules of /admin/user*: superadmins only, e-mails
// unique without regard to case, never removing the last active superadmin
// or oneself, and a deleted user's rows handed over or removed.
type UserService struct {
	store    *Store
	users    *user.Store
	accounts *user.Service
	projects *project.Store
}

// NewUserService builds the service.
func NewUserService(store *Store, users *user.Store, projects *project.Store, bcryptCost int) *UserService {
	return &UserService{store: store, users: users, accounts: user.NewService(users, bcryptCost), projects: projects}
}

// List returns one page of users (filtered) with their projects, and the total.
func (s *UserService) List(ctx context.Context, caller *model.User, filters []string, page, pageSize int) ([]UserView, int64, error) {
	if err := RequireSuperadmin(caller); err != nil {
		return nil, 0, err
	}
	us, total, err := s.store.listUsers(ctx, filters, page, pageSize)
	if err != nil {
		return nil, 0, err
	}
	views, err := s.store.userViews(ctx, s.projects, us)
	return views, total, err
}

// Load checks the role and loads a user (404 problem).
func (s *UserService) Load(ctx context.Context, caller *model.User, id uuid.UUID) (*model.User, error) {
	return loadAsSuperadmin(ctx, caller, id, s.users.ByID, auth.ErrUserNotFound)
}

// View renders one user with their projects.
func (s *UserService) View(ctx context.Context, u *model.User) (UserView, error) {
	views, err := s.store.userViews(ctx, s.projects, []model.User{*u})
	if err != nil {
		return UserView{}, err
	}
	return views[0], nil
}

// Create inserts a user from req; a requested id must be a free UUID.
func (s *UserService) Create(ctx context.Context, caller *model.User, req UserRequest) (*model.User, error) {
	if err := RequireSuperadmin(caller); err != nil {
		return nil, err
	}
	id, err := project.ChosenID(ctx, req.ID, "User", s.users.ByID)
	if err != nil {
		return nil, err
	}
	u := &model.User{ID: id}
	err = s.users.WithTx(ctx, func(ctx context.Context) error {
		if err := s.users.EnsureEmailFree(ctx, req.Email, nil); err != nil {
			return err
		}
		if err := s.apply(ctx, u, req); err != nil {
			return err
		}
		return s.users.Create(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// apply merges the admin-writable fields of req onto u.
func (s *UserService) apply(ctx context.Context, u *model.User, req UserRequest) error {
	if err := s.accounts.ApplyProfile(ctx, u, req.Profile); err != nil {
		return err
	}
	if req.IsSuperadmin != nil {
		u.IsSuperadmin = *req.IsSuperadmin
	}
	if req.IsActive != nil {
		u.IsActive = *req.IsActive
	}
	if !req.GroupID.Set {
		return nil
	}
	u.GroupID = nil
	if req.GroupID.Value == nil {
		return nil
	}
	id, ok := model.ParseUUID(*req.GroupID.Value)
	found := false
	if ok {
		var err error
		if found, err = s.store.groupExists(ctx, id); err != nil {
			return err
		}
	}
	if !found {
		return apperr.BadRequest("Group id %s doesn't exist", *req.GroupID.Value)
	}
	u.GroupID = &id
	return nil
}

// Update applies req to u (loaded by Load) and replaces its membership
// with req.Projects, refusing to demote or deactivate the last superadmin.
// u is read again under its row lock first (user.Store.Relock): req
// applies to the account as it is, not to the copy Load read, which a
// password change or another admin's edit may have replaced since.
func (s *UserService) Update(ctx context.Context, u *model.User, req UserRequest) error {
	err := s.users.WithTx(ctx, func(ctx context.Context) error {
		if err := s.users.Relock(ctx, u); errors.Is(err, auth.ErrUserNotFound) {
			return notFound()
		} else if err != nil {
			return err
		}
		wasAdmin := u.IsSuperadmin && u.IsActive
		if err := s.apply(ctx, u, req); err != nil {
			return err
		}
		if wasAdmin && !(u.IsSuperadmin && u.IsActive) {
			if err := s.ensureAnotherSuperadmin(ctx, u.ID, "Cannot demote or deactivate the last superadmin user"); err != nil {
				return err
			}
		}
		if err := s.users.Save(ctx, u); err != nil {
			return err
		}
		return s.store.replaceMembership(ctx, s.projects, u.ID, req.Projects)
	})
	s.projects.InvalidateCaches()
	return err
}

// Delete removes u (loaded by Load): never oneself, never the last
// superadmin; memberships and tokens go, owned rows pass to the caller.
func (s *UserService) Delete(ctx context.Context, caller, u *model.User) error {
	if u.ID == caller.ID {
		return badRequest("Cannot delete yourself")
	}
	err := s.users.WithTx(ctx, func(ctx context.Context) error {
		// The row lock before the superadmins' lock, in the order Update
		// takes them, so a deletion and an update of one account wait for
		// each other instead of deadlocking.
		if err := s.users.Relock(ctx, u); errors.Is(err, auth.ErrUserNotFound) {
			return notFound()
		} else if err != nil {
			return err
		}
		if u.IsSuperadmin {
			if err := s.ensureAnotherSuperadmin(ctx, u.ID, "Cannot delete the last superadmin user"); err != nil {
				return err
			}
		}
		return s.store.deleteUser(ctx, u.ID, caller.ID)
	})
	s.projects.InvalidateCaches()
	return err
}

// ensureAnotherSuperadmin refuses to remove the last active superadmin
// (by deletion, demotion or deactivation): nobody could administer the
// server afterwards.
func (s *UserService) ensureAnotherSuperadmin(ctx context.Context, except uuid.UUID, msg string) error {
	n, err := s.store.otherActiveSuperadmins(ctx, except)
	if err != nil {
		return err
	}
	if n == 0 {
		return badRequest(msg)
	}
	return nil
}
