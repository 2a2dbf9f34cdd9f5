// Package project owns projects, project membership and the access rule
// every other domain asks: may this user read or write project P?
package project

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// ErrNotFound is returned for an unknown project.
var ErrNotFound = errors.New("project not found")

// Store reads and writes projects and memberships.
type Store struct {
	db    *db.DB
	cache caches
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d, cache: newCaches()} }

// ByID loads a project.
func (s *Store) ByID(ctx context.Context, id uuid.UUID) (*model.Project, error) {
	return db.Take[model.Project](s.db.Conn(ctx).Where("id = ?", id), ErrNotFound, "project")
}

// ByName loads a project by its unique name.
func (s *Store) ByName(ctx context.Context, name string) (*model.Project, error) {
	return db.Take[model.Project](s.db.Conn(ctx).Where("name = ?", name).Order("id"), ErrNotFound, "project by name")
}

// Resolve finds a project from a value that clients send as either a UUID
// or a project name (metadata.project, project_id, import form `project`).
// Answers are cached briefly (see cacheTTL).
func (s *Store) Resolve(ctx context.Context, nameOrID string) (*model.Project, error) {
	if p, ok := s.cache.resolve.get(nameOrID); ok {
		return &p, nil
	}
	p, err := s.resolve(ctx, nameOrID)
	if err == nil {
		s.cache.resolve.put(nameOrID, *p)
	}
	return p, err
}

func (s *Store) resolve(ctx context.Context, nameOrID string) (*model.Project, error) {
	if id, ok := model.ParseUUID(nameOrID); ok {
		p, err := s.ByID(ctx, id)
		if !errors.Is(err, ErrNotFound) {
			return p, err
		}
	}
	return s.ByName(ctx, nameOrID)
}

// Create inserts p (generating its id when unset) and makes owner a member.
func (s *Store) Create(ctx context.Context, p *model.Project, owner *model.User) error {
	if p.ID == uuid.Nil {
		p.ID = uuid.New()
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(p).Error; err != nil {
			return fmt.Errorf("create project: %w", err)
		}
		if err := s.createDefaultDashboard(ctx, p); err != nil {
			return err
		}
		if owner != nil {
			return s.AddMembers(ctx, p.ID, owner.ID)
		}
		return nil
	})
}

// defaultDashboardTitle names the dashboard every new project starts with.
const defaultDashboardTitle = "Default Dashboard"

// createDefaultDashboard gives a project created without a default
// dashboard one, as upstream's deployment seeding does, so the UI has a
// dashboard to open; unlike upstream's it starts with useful widgets
// (DefaultWidgets) instead of empty. Every way of creating a project
// (POST /project, POST /admin/project, the superadmin's own project at
// bootstrap) goes through Create, so all of them get it.
func (s *Store) createDefaultDashboard(ctx context.Context, p *model.Project) error {
	if p.DefaultDashboardID != nil {
		return nil
	}
	d := &model.Dashboard{ID: uuid.New(), Title: model.Ptr(defaultDashboardTitle), Description: model.Ptr(""),
		Filters: model.Ptr(""), ProjectID: &p.ID}
	if err := s.db.Conn(ctx).Create(d).Error; err != nil {
		return fmt.Errorf("create default dashboard: %w", err)
	}
	if err := s.db.Conn(ctx).Model(p).Update("default_dashboard_id", d.ID).Error; err != nil {
		return fmt.Errorf("set default dashboard: %w", err)
	}
	p.DefaultDashboardID = &d.ID
	return s.seedDefaultWidgets(ctx, d.ID, p.ID)
}

// Relock reads p's row again into p, locked FOR UPDATE on PostgreSQL until
// ctx's transaction ends (ErrNotFound when it is gone). Save writes every
// column, so an update must start from the row as it is: saving the copy
// read before the transaction undid what another request committed in
// between (an ownership transfer, a default dashboard cleared because the
// dashboard moved to another project).
func (s *Store) Relock(ctx context.Context, p *model.Project) error {
	q := s.db.Conn(ctx)
	if s.db.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	fresh, err := db.Take[model.Project](q.Where("id = ?", p.ID), ErrNotFound, "project")
	if err != nil {
		return err
	}
	*p = *fresh
	return nil
}

// Save writes every column of p.
func (s *Store) Save(ctx context.Context, p *model.Project) error {
	defer s.cache.reset()
	if err := s.db.Conn(ctx).Save(p).Error; err != nil {
		return fmt.Errorf("save project: %w", err)
	}
	return nil
}

// AddMembers adds users to a project; existing memberships are kept.
func (s *Store) AddMembers(ctx context.Context, projectID uuid.UUID, userIDs ...uuid.UUID) error {
	defer s.cache.reset()
	for _, uid := range userIDs {
		m := model.UserProject{UserID: uid, ProjectID: projectID}
		if err := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&m).Error; err != nil {
			return fmt.Errorf("add project member: %w", err)
		}
	}
	return nil
}

// Members returns the members of each given project.
func (s *Store) Members(ctx context.Context, projectIDs []uuid.UUID) (map[uuid.UUID][]model.User, error) {
	out := map[uuid.UUID][]model.User{}
	if len(projectIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ProjectID uuid.UUID
		model.User
	}
	err := s.db.Conn(ctx).Table("users").
		Select("users_projects.project_id AS project_id, users.*").
		Joins("JOIN users_projects ON users_projects.user_id = users.id").
		Where("users_projects.project_id IN ?", projectIDs).
		Order("users.email").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load project members: %w", err)
	}
	for _, r := range rows {
		out[r.ProjectID] = append(out[r.ProjectID], r.User)
	}
	return out, nil
}

// UsersByEmail loads the users with the given e-mail addresses; unknown
// addresses are skipped.
func (s *Store) UsersByEmail(ctx context.Context, emails []string) ([]model.User, error) {
	var us []model.User
	if len(emails) == 0 {
		return us, nil
	}
	if err := s.db.Conn(ctx).Where("email IN ?", emails).Find(&us).Error; err != nil {
		return nil, fmt.Errorf("load users by email: %w", err)
	}
	return us, nil
}

// Dashboards loads dashboards by id (for the `defaultDashboard` field).
func (s *Store) Dashboards(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]model.Dashboard, error) {
	return byIDs(ctx, s.db, ids, func(d *model.Dashboard) uuid.UUID { return d.ID }, "dashboards")
}

// Users loads users by id (for the admin `owner` field).
func (s *Store) Users(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]model.User, error) {
	return byIDs(ctx, s.db, ids, func(u *model.User) uuid.UUID { return u.ID }, "users")
}

// byIDs loads the rows of type T whose id is in ids, keyed by their id
// (key reads it); no ids is an empty map without a query.
func byIDs[T any](ctx context.Context, d *db.DB, ids []uuid.UUID, key func(*T) uuid.UUID, what string) (map[uuid.UUID]T, error) {
	out := map[uuid.UUID]T{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []T
	if err := d.Conn(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load %s: %w", what, err)
	}
	for i := range rows {
		out[key(&rows[i])] = rows[i]
	}
	return out, nil
}

// EnsureOwnedProject creates a project of that name owned by owner unless
// one exists (IBUTSU_SUPERADMIN_OWN_PROJECT). Project names are not unique
// in upstream's schema, so on PostgreSQL the lookup and the insert run in
// one transaction under a lock on the name: replicas started together each
// run this at once, and without the lock each created its own copy.
func (s *Store) EnsureOwnedProject(ctx context.Context, name string, owner *model.User) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.LockName(ctx, name); err != nil {
			return err
		}
		if _, err := s.ByName(ctx, name); err == nil {
			return nil
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		title := name
		return s.Create(ctx, &model.Project{Name: &name, Title: &title, OwnerID: &owner.ID}, owner)
	})
}

// LockName takes, inside a transaction on PostgreSQL, the transaction lock
// on a project name that every check that a name is free holds until its
// insert or rename commits. Upstream's schema has no unique index on
// projects.name, so without it two requests (or replicas) creating or
// renaming to one name both found it free and both wrote it. SQLite runs
// one writer at a time; outside a transaction it does nothing.
func (s *Store) LockName(ctx context.Context, name string) error {
	if !db.InTx(ctx) {
		return nil
	}
	return s.db.TxLock(ctx, "project name", "ibutsu-project-name:"+name)
}
