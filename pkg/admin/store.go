package admin

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// Store holds the admin routes' own queries: the ones that cross users
// and projects (memberships, hand-overs, deletions).
type Store struct{ db *db.DB }

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// listUsers fetches one page of users (filtered, by e-mail) and the total.
func (s *Store) listUsers(ctx context.Context, filters []string, page, pageSize int) ([]model.User, int64, error) {
	where, args, err := filter.Build(filter.DialectOf(s.db), filter.Users, filter.Split(filters))
	if err != nil {
		return nil, 0, err
	}
	var us []model.User
	total, err := listing.Run(ctx, s.db, &model.User{}, &us, listing.Query{Where: where, Args: args,
		Page: paging.Page{Page: page, PageSize: pageSize}, Order: "email ASC, id"})
	if err != nil {
		return nil, 0, err
	}
	return us, total, nil
}

// UserView is a user with their project memberships (admin GET routes).
type UserView struct {
	user.View
	Projects []project.View `json:"projects"`
}

// userViews renders users with their member projects (ordered by name),
// one query per relation.
func (s *Store) userViews(ctx context.Context, projects *project.Store, us []model.User) ([]UserView, error) {
	ids := make([]uuid.UUID, len(us))
	for i := range us {
		ids[i] = us[i].ID
	}
	var links []model.UserProject
	if len(ids) > 0 {
		if err := s.db.Conn(ctx).Where("user_id IN ?", ids).Find(&links).Error; err != nil {
			return nil, fmt.Errorf("load memberships: %w", err)
		}
	}
	pids := make([]uuid.UUID, 0, len(links))
	member := map[uuid.UUID]map[string]bool{}
	for _, l := range links {
		pids = append(pids, l.ProjectID)
		if member[l.UserID] == nil {
			member[l.UserID] = map[string]bool{}
		}
		member[l.UserID][l.ProjectID.String()] = true
	}
	var ps []model.Project
	if len(pids) > 0 {
		if err := s.db.Conn(ctx).Where("id IN ?", pids).Order("name, id").Find(&ps).Error; err != nil {
			return nil, fmt.Errorf("load member projects: %w", err)
		}
	}
	pviews, err := projects.Views(ctx, ps, false)
	if err != nil {
		return nil, err
	}
	out := make([]UserView, len(us))
	for i := range us {
		out[i] = UserView{View: user.NewView(&us[i]), Projects: []project.View{}}
		for _, v := range pviews {
			if member[us[i].ID][v.ID] {
				out[i].Projects = append(out[i].Projects, v)
			}
		}
	}
	return out, nil
}

// groupExists reports whether a group with id exists.
func (s *Store) groupExists(ctx context.Context, id uuid.UUID) (bool, error) {
	return db.Exists(s.db.Conn(ctx).Model(&model.Group{}).Where("id = ?", id), "group")
}

// replaceMembership makes the user a member of exactly the given projects
// (unknown ids are skipped).
func (s *Store) replaceMembership(ctx context.Context, projects *project.Store, userID uuid.UUID, projectIDs []uuid.UUID) error {
	if err := s.db.Conn(ctx).Where("user_id = ?", userID).Delete(&model.UserProject{}).Error; err != nil {
		return fmt.Errorf("clear memberships: %w", err)
	}
	if len(projectIDs) == 0 {
		return nil
	}
	var existing []uuid.UUID
	if err := s.db.Conn(ctx).Model(&model.Project{}).Where("id IN ?", projectIDs).Pluck("id", &existing).Error; err != nil {
		return fmt.Errorf("load projects: %w", err)
	}
	for _, pid := range existing {
		if err := projects.AddMembers(ctx, pid, userID); err != nil {
			return err
		}
	}
	return nil
}

// otherActiveSuperadmins counts the active superadmins other than except.
// Inside a transaction on PostgreSQL it first takes the transaction lock
// that every removal of a superadmin holds until it commits: two removals
// checked side by side (two superadmins demoting or deleting each other,
// or one admin removing two at once) each counted the other as the one
// left, and both went through, leaving none. SQLite runs one writer at a
// time.
func (s *Store) otherActiveSuperadmins(ctx context.Context, except uuid.UUID) (int64, error) {
	if db.InTx(ctx) {
		if err := s.db.TxLock(ctx, "superadmins", "ibutsu-superadmins"); err != nil {
			return 0, err
		}
	}
	var n int64
	err := s.db.Conn(ctx).Model(&model.User{}).Where("is_superadmin = ? AND is_active = ? AND id <> ?", true, true, except).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count superadmins: %w", err)
	}
	return n, nil
}

// deleteUser removes a user and what points at it: memberships and tokens
// go, owned projects and dashboards pass to newOwner.
func (s *Store) deleteUser(ctx context.Context, id, newOwner uuid.UUID) error {
	conn := s.db.Conn(ctx)
	steps := []func() error{
		func() error { return conn.Where("user_id = ?", id).Delete(&model.UserProject{}).Error },
		func() error { return conn.Where("user_id = ?", id).Delete(&model.Token{}).Error },
		func() error {
			return conn.Model(&model.Project{}).Where("owner_id = ?", id).Update("owner_id", newOwner).Error
		},
		func() error {
			return conn.Model(&model.Dashboard{}).Where("user_id = ?", id).Update("user_id", newOwner).Error
		},
		func() error { return conn.Where("id = ?", id).Delete(&model.User{}).Error },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
	}
	return nil
}

// orphaned lists the tables whose rows outlive their project: their
// project_id is set to NULL instead of deleting test history.
var orphaned = []string{"results", "runs", "dashboards", "widget_configs"}

// deleteProject removes a project and its memberships in one transaction.
func (s *Store) deleteProject(ctx context.Context, id uuid.UUID) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		for _, table := range orphaned {
			if err := conn.Table(table).Where("project_id = ?", id).Update("project_id", nil).Error; err != nil {
				return fmt.Errorf("orphan %s: %w", table, err)
			}
		}
		if err := conn.Where("project_id = ?", id).Delete(&model.UserProject{}).Error; err != nil {
			return fmt.Errorf("delete memberships: %w", err)
		}
		if err := conn.Exec("DELETE FROM "+project.RetentionTable+" WHERE project_id = ?", id).Error; err != nil {
			return fmt.Errorf("delete retention: %w", err)
		}
		if err := conn.Where("id = ?", id).Delete(&model.Project{}).Error; err != nil {
			return fmt.Errorf("delete project: %w", err)
		}
		return nil
	})
}
