package project

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// View is a project as the API shows it: members in `users`, the default
// dashboard as camelCase `defaultDashboard` when set, and on admin routes
// the `owner` and the `retention` overrides.
type View struct {
	ID                 string          `json:"id"`
	Name               *string         `json:"name"`
	Title              *string         `json:"title"`
	OwnerID            *string         `json:"owner_id"`
	GroupID            *string         `json:"group_id"`
	DefaultDashboardID *string         `json:"default_dashboard_id"`
	Users              []user.View     `json:"users"`
	DefaultDashboard   *dashboard.View `json:"defaultDashboard,omitempty"`
	Owner              *user.View      `json:"owner,omitempty"`
	Retention          *Retention      `json:"retention,omitempty"`
}

// Views renders projects with their members and default dashboards, using
// one query per relation whatever the page size. withOwner (the admin
// routes) adds `owner` and `retention`.
func (s *Store) Views(ctx context.Context, ps []model.Project, withOwner bool) ([]View, error) {
	ids := make([]uuid.UUID, 0, len(ps))
	var dashIDs, ownerIDs []uuid.UUID
	for _, p := range ps {
		ids = append(ids, p.ID)
		if p.DefaultDashboardID != nil {
			dashIDs = append(dashIDs, *p.DefaultDashboardID)
		}
		if p.OwnerID != nil {
			ownerIDs = append(ownerIDs, *p.OwnerID)
		}
	}
	members, err := s.Members(ctx, ids)
	if err != nil {
		return nil, err
	}
	dashes, err := s.Dashboards(ctx, dashIDs)
	if err != nil {
		return nil, err
	}
	owners := map[uuid.UUID]model.User{}
	retentions := map[uuid.UUID]Retention{}
	if withOwner {
		if owners, err = s.Users(ctx, ownerIDs); err != nil {
			return nil, err
		}
		if retentions, err = s.Retentions(ctx, ids); err != nil {
			return nil, err
		}
	}
	out := make([]View, 0, len(ps))
	for i := range ps {
		p := &ps[i]
		v := View{ID: p.ID.String(), Name: p.Name, Title: p.Title, OwnerID: model.UUIDString(p.OwnerID),
			GroupID: model.UUIDString(p.GroupID), DefaultDashboardID: model.UUIDString(p.DefaultDashboardID),
			Users: []user.View{}}
		for j := range members[p.ID] {
			v.Users = append(v.Users, user.NewView(&members[p.ID][j]))
		}
		if p.DefaultDashboardID != nil {
			if d, ok := dashes[*p.DefaultDashboardID]; ok {
				dv := dashboard.NewView(&d)
				v.DefaultDashboard = &dv
			}
		}
		if p.OwnerID != nil {
			if o, ok := owners[*p.OwnerID]; ok {
				ov := user.NewView(&o)
				v.Owner = &ov
			}
		}
		if withOwner {
			r := retentions[p.ID]
			v.Retention = &r
		}
		out = append(out, v)
	}
	return out, nil
}

// View renders one project.
func (s *Store) View(ctx context.Context, p *model.Project, withOwner bool) (View, error) {
	vs, err := s.Views(ctx, []model.Project{*p}, withOwner)
	if err != nil {
		return View{}, err
	}
	return vs[0], nil
}
