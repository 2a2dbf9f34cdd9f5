package project

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Service holds the rules of the project routes: who may list, read and
// change a project, unique names, and that what a project points at exists
// (its default dashboard must be one of its own).
type Service struct{ store *Store }

// NewService builds the service.
func NewService(store *Store) *Service { return &Service{store: store} }

// List returns one page of projects and their total. Members see their
// projects, superadmins all; admin (GET /admin/project) lists unscoped and
// adds owners and retention to the views.
func (s *Service) List(ctx context.Context, caller *model.User, req ListRequest, admin bool) ([]View, int64, error) {
	q := listQuery{Page: req.Page, PageSize: req.PageSize}
	var err error
	if q.Where, q.Args, err = s.store.filterWhere(req.Filters); err != nil {
		return nil, 0, err
	}
	if !admin && !caller.IsSuperadmin {
		q.MemberOf = &caller.ID
	}
	if q.OwnerID, err = optionalUUID(req.OwnerID); err == nil {
		q.GroupID, err = optionalUUID(req.GroupID)
	}
	if err != nil {
		return nil, 0, err
	}
	ps, total, err := s.store.list(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	views, err := s.store.Views(ctx, ps, admin)
	return views, total, err
}

// optionalUUID parses an ownerId/groupId query value.
func optionalUUID(v *string) (*uuid.UUID, error) {
	if v == nil {
		return nil, nil
	}
	id, ok := model.ParseUUID(*v)
	if !ok {
		return nil, errOwnerGroupIDs()
	}
	return &id, nil
}

// Create validates and inserts a project; the caller becomes owner and
// member (shared by POST /project and POST /admin/project).
func (s *Service) Create(ctx context.Context, caller *model.User, req CreateRequest) (*model.Project, error) {
	p := &model.Project{OwnerID: &caller.ID, Title: req.Title}
	var err error
	if p.ID, err = ChosenID(ctx, req.ID, "Project", s.store.ByID); err != nil {
		return nil, err
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return nil, apperr.BadRequest("Bad request, project name is required")
	}
	p.Name = req.Name
	err = s.store.WithTx(ctx, func(ctx context.Context) error {
		if err := s.nameFree(ctx, *p.Name, nil); err != nil {
			return err
		}
		if err := s.applyRefs(ctx, p, req.Refs); err != nil {
			return err
		}
		p.OwnerID = &caller.ID
		return s.store.Create(ctx, p, caller)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// nameFree is upstream's 400 when a project other than self (nil for a new
// one) has name. It holds the name's lock (Store.LockName) for the rest of
// the caller's transaction, so the insert or rename that follows cannot be
// raced by another taking the same name.
func (s *Service) nameFree(ctx context.Context, name string, self *uuid.UUID) error {
	if err := s.store.LockName(ctx, name); err != nil {
		return err
	}
	other, err := s.store.ByName(ctx, name)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return err
	case self != nil && other.ID == *self:
		return nil
	}
	return apperr.BadRequest("Project with name %s already exists", name)
}

// Readable loads a project the caller may read; no access is upstream's 401.
func (s *Service) Readable(ctx context.Context, caller *model.User, id uuid.UUID) (*model.Project, error) {
	return LoadReadable(ctx, s.store, caller, id, apperr.Unauthorized())
}

// UpdateOwned applies a PUT /project/{id} body: only the project's owner
// (or a superadmin) may change it.
func (s *Service) UpdateOwned(ctx context.Context, caller *model.User, id uuid.UUID, req UpdateRequest) (*model.Project, error) {
	p, err := LoadOwned(ctx, s.store, caller, id)
	if err != nil {
		return nil, err
	}
	if err := s.Update(ctx, p, req, false); err != nil {
		return nil, err
	}
	return p, nil
}

// Update applies an update body to p in one transaction: Users e-mails are
// added as members (nobody is removed), other set fields overwrite columns.
// addOwner also makes a new owner_id a member (the admin route's rule).
//
// p is read again under its row lock first (Store.Relock), so the update
// applies to the project as it is, not to the copy its caller loaded.
func (s *Service) Update(ctx context.Context, p *model.Project, req UpdateRequest, addOwner bool) error {
	return s.store.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.Relock(ctx, p); err != nil {
			return apperr.NotFoundIf(err, ErrNotFound, "Project not found")
		}
		if name := req.Name; name != nil && (p.Name == nil || *name != *p.Name) {
			if strings.TrimSpace(*name) == "" {
				return apperr.BadRequest("Bad request, project name is required")
			}
			if err := s.nameFree(ctx, *name, &p.ID); err != nil {
				return err
			}
			p.Name = name
		}
		if req.Title.Set {
			p.Title = req.Title.Value
		}
		if err := s.applyRefs(ctx, p, req.Refs); err != nil {
			return err
		}
		if err := s.store.Save(ctx, p); err != nil {
			return err
		}
		users, err := s.store.UsersByEmail(ctx, req.Users)
		if err != nil {
			return err
		}
		ids := make([]uuid.UUID, 0, len(users)+1)
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		if addOwner && p.OwnerID != nil {
			ids = append(ids, *p.OwnerID)
		}
		return s.store.AddMembers(ctx, p.ID, ids...)
	})
}

// applyRefs copies group_id/default_dashboard_id (and owner_id) onto p,
// checking that what they point at exists so a bad id is a 400, not a 500,
// and that a default dashboard is one of the project's own.
func (s *Service) applyRefs(ctx context.Context, p *model.Project, refs Refs) error {
	if err := s.applyDefaultDashboard(ctx, p, refs.DefaultDashboardID); err != nil {
		return err
	}
	for _, r := range []struct {
		v          model.Nullable[string]
		table, msg string
		dst        **uuid.UUID
	}{
		{refs.GroupID, "groups", "Group id %s doesn't exist", &p.GroupID},
		{refs.OwnerID, "users", "User id %s doesn't exist", &p.OwnerID},
	} {
		if !r.v.Set {
			continue
		}
		if r.v.Value == nil {
			*r.dst = nil
			continue
		}
		id, ok := model.ParseUUID(*r.v.Value)
		if !ok {
			return apperr.BadRequest(r.msg, *r.v.Value)
		}
		found, err := s.store.exists(ctx, r.table, id)
		if err != nil {
			return err
		}
		if !found {
			return apperr.BadRequest(r.msg, *r.v.Value)
		}
		*r.dst = &id
	}
	return nil
}

// applyDefaultDashboard sets p's default dashboard. A new value must name
// a dashboard of p itself (404 when no such dashboard, 400 when it belongs
// to another project or to none), so a project cannot point its members at
// another project's dashboard. The value p already has passes unchecked:
// clients (the admin page) send it back unchanged with every save, and a
// database adopted from upstream may hold any value there.
func (s *Service) applyDefaultDashboard(ctx context.Context, p *model.Project, v model.Nullable[string]) error {
	if !v.Set {
		return nil
	}
	if v.Value == nil {
		p.DefaultDashboardID = nil
		return nil
	}
	id, ok := model.ParseUUID(*v.Value)
	if !ok {
		return apperr.BadRequest("Dashboard id %s doesn't exist", *v.Value)
	}
	if p.DefaultDashboardID != nil && *p.DefaultDashboardID == id {
		return nil
	}
	d, err := s.store.dashboard(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return apperr.NotFound("Dashboard id " + id.String() + " doesn't exist")
	}
	if err != nil {
		return err
	}
	if d.ProjectID == nil || *d.ProjectID != p.ID {
		return apperr.BadRequest("Dashboard %s does not belong to project %s", id, p.ID)
	}
	p.DefaultDashboardID = &id
	return nil
}

// FilterParams lists the filterable fields of the project's newest result
// (none without results); the caller must be able to read the project.
func (s *Service) FilterParams(ctx context.Context, caller *model.User, id uuid.UUID) ([]string, error) {
	p, err := s.Readable(ctx, caller, id)
	if err != nil {
		return nil, err
	}
	r, err := s.store.latestResult(ctx, p.ID)
	if errors.Is(err, ErrNotFound) {
		return []string{}, nil
	}
	if err != nil {
		return nil, err
	}
	return FilterParams(r), nil
}

// FilterParams lists the dotted field names of a result: its columns, then
// flattened JSON paths with metadata reported under `data.` (upstream's naming).
func FilterParams(r *model.Result) []string {
	keys := []string{"id", "project_id", "run_id", "test_id", "result", "duration", "start_time", "source", "env", "component"}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if sub, ok := m[k].(map[string]any); ok && len(sub) > 0 {
				walk(prefix+k+".", sub)
				continue
			}
			keys = append(keys, prefix+k)
		}
	}
	walk("data.", r.Data)
	walk("params.", r.Params)
	return keys
}

// ChosenID is the id a create request chose (uuid.Nil for none), with
// upstream's 400s: "<noun> ID <raw> is not in UUID format" for a malformed
// one, "<noun> id <id> already exist" for one that load finds.
func ChosenID[T any](ctx context.Context, raw *string, noun string, load func(context.Context, uuid.UUID) (T, error)) (uuid.UUID, error) {
	if raw == nil {
		return uuid.Nil, nil
	}
	id, ok := model.ParseUUID(*raw)
	if !ok {
		return uuid.Nil, apperr.BadRequest("%s ID %s is not in UUID format", noun, *raw)
	}
	if _, err := load(ctx, id); err == nil {
		return uuid.Nil, apperr.BadRequest("%s id %s already exist", noun, id)
	}
	return id, nil
}
