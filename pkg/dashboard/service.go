package dashboard

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Projects is what dashboards need from the project store (an interface
// because package project renders dashboards and so imports this one).
type Projects interface {
	CanAccess(ctx context.Context, u *model.User, projectID uuid.UUID) (bool, error)
	InvalidateCaches()
}

// Service holds the rules of /api/dashboard (pkg/openapi/spec/paths/dashboards.yaml): the tenancy
// rule of Access on every read and write, upstream's defaults, and what a
// move to another project or a delete carries along.
type Service struct {
	store    *Store
	projects Projects
	access   *Access
}

// NewService builds the service.
func NewService(store *Store, projects Projects) *Service {
	return &Service{store: store, projects: projects, access: NewAccess(projects)}
}

// ListQuery is a list request: filter expressions, the project_id query
// parameter when given (Project set) and the page.
type ListQuery struct {
	Filters    []string
	Project    string
	HasProject bool
	Page       Page
}

// List is one page of the dashboards u may read, and the total.
func (s *Service) List(ctx context.Context, u *model.User, q ListQuery) ([]model.Dashboard, int64, error) {
	where, args, err := s.store.Filter(q.Filters, filter.Dashboards)
	if err != nil {
		return nil, 0, err
	}
	var only *uuid.UUID
	if q.HasProject {
		// Upstream: an id naming an existing project restricts (and is
		// access-checked); anything else silently means no restriction.
		// A project_id inside `filter` is not access-checked (as on /run
		// and /result); the readable scope simply leaves foreign rows out.
		if only, err = s.existingProject(ctx, u, q.Project); err != nil {
			return nil, 0, err
		}
	}
	return s.store.List(ctx, u, where, args, only, q.Page)
}

// existingProject is the project raw names when it is an id of an existing
// project u may read, nil when it names none; 403 when u may not read it.
func (s *Service) existingProject(ctx context.Context, u *model.User, raw string) (*uuid.UUID, error) {
	id, err := uuid.Parse(raw)
	if err != nil || len(raw) != 36 {
		return nil, nil
	}
	ok, err := s.store.ProjectExists(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	if err := s.access.CanRead(ctx, u, &id); err != nil {
		return nil, err
	}
	return &id, nil
}

// Create adds a dashboard with id from r (whose title is checked).
func (s *Service) Create(ctx context.Context, u *model.User, id uuid.UUID, r Request) (*model.Dashboard, error) {
	// Upstream's model defaults description and filters to '' when the
	// request leaves them out (an explicit null stays NULL).
	d := &model.Dashboard{ID: id, Description: model.Ptr(""), Filters: model.Ptr("")}
	if err := s.apply(ctx, d, r); err != nil {
		return nil, err
	}
	return Written(ctx, s.access, u, d, d.ProjectID, s.store.Create)
}

// load reads dashboard id (404 with notFound when missing) and applies
// check (CanRead or CanWrite) to its project (403).
func (s *Service) load(ctx context.Context, u *model.User, id uuid.UUID, notFound string, check func(context.Context, *model.User, *uuid.UUID) error) (*model.Dashboard, error) {
	d, err := s.store.Get(ctx, id)
	if err != nil {
		return nil, apperr.NotFoundIf(err, ErrNotFound, notFound)
	}
	return d, check(ctx, u, d.ProjectID)
}

// Get is dashboard id for u.
func (s *Service) Get(ctx context.Context, u *model.User, id uuid.UUID) (*model.Dashboard, error) {
	return s.load(ctx, u, id, "Dashboard not found", s.access.CanRead)
}

// Editable is dashboard id when u may change it: PUT checks this before
// it reads the body.
func (s *Service) Editable(ctx context.Context, u *model.User, id uuid.UUID) (*model.Dashboard, error) {
	return s.load(ctx, u, id, "Dashboard not found", s.access.CanWrite)
}

// Update applies r to d (from Editable). A new project must be writable
// too, and the dashboard's widget configs and default-dashboard links move
// along with it (see move).
//
// d is read again under its row lock first (Store.Relock) and the access
// check is made again on that row: another request may have moved the
// dashboard to a project u cannot write since Editable loaded it, and
// saving the copy would both write into that project and undo the move
// while the widget configs it carried stay moved.
func (s *Service) Update(ctx context.Context, u *model.User, d *model.Dashboard, r Request) (*model.Dashboard, error) {
	moved := false
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.Relock(ctx, d); err != nil {
			return apperr.NotFoundIf(err, ErrNotFound, "Dashboard not found")
		}
		if err := s.access.CanWrite(ctx, u, d.ProjectID); err != nil {
			return err
		}
		from := d.ProjectID
		if err := s.apply(ctx, d, r); err != nil {
			return err
		}
		if err := s.access.CanWrite(ctx, u, d.ProjectID); err != nil {
			return err
		}
		if moved = !sameProject(from, d.ProjectID); moved {
			if err := s.move(ctx, u, d); err != nil {
				return err
			}
		}
		return s.store.Save(ctx, d)
	})
	if err != nil {
		return nil, err
	}
	if moved {
		s.projects.InvalidateCaches()
	}
	return d, nil
}

// move carries what hangs on dashboard d along when a PUT gives it another
// project (d.ProjectID is already the new one; the caller may write both).
// A widget config's project must equal its dashboard's, so the dashboard's
// widget configs take the new project too; the caller must be able to write
// every project those widgets are in now (a legacy widget of a third
// project refuses the move with 403 rather than being taken over). Projects
// other than the new one lose d as their default dashboard, since a default
// dashboard belongs to its project. Runs inside the update's transaction.
func (s *Service) move(ctx context.Context, u *model.User, d *model.Dashboard) error {
	projects, err := s.store.WidgetProjects(ctx, d.ID)
	if err != nil {
		return err
	}
	for _, p := range projects {
		if err := s.access.CanWrite(ctx, u, p); err != nil {
			return err
		}
	}
	return s.store.Move(ctx, d)
}

// Delete removes dashboard id, its widget configs and the projects' links
// to it.
//
// The dashboard is read and checked under its row lock (Store.Relock) in
// the transaction that deletes it: a move committed after a plain read
// took it to a project u may not write, and a check on that read would
// let u delete it there. The lock also comes before the widget configs'
// rows, in the order a widget-config write takes them (dashboard first),
// and keeps configs from being added to it between its configs' delete
// and its own.
func (s *Service) Delete(ctx context.Context, u *model.User, id uuid.UUID) error {
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		d := &model.Dashboard{ID: id}
		if err := s.store.Relock(ctx, d); err != nil {
			return apperr.NotFoundIf(err, ErrNotFound, "Not Found")
		}
		if err := s.access.CanWrite(ctx, u, d.ProjectID); err != nil {
			return err
		}
		return s.store.Delete(ctx, d.ID)
	})
	if err != nil {
		return err
	}
	s.projects.InvalidateCaches()
	return nil
}

// apply copies r onto d (docs/api-compatibility.md#update-merge-semantics: named fields replace),
// checking that the ids are UUIDs and that user_id names a user. Callers
// check access to the resulting project.
func (s *Service) apply(ctx context.Context, d *model.Dashboard, r Request) error {
	if r.Title != nil {
		d.Title = r.Title
	}
	if r.Description.Set {
		d.Description = r.Description.Value
	}
	if r.Filters.Set {
		d.Filters = r.Filters.Value
	}
	var err error
	if d.ProjectID, err = ParseRef("project_id", r.ProjectID, d.ProjectID); err != nil {
		return err
	}
	if d.UserID, err = ParseRef("user_id", r.UserID, d.UserID); err != nil {
		return err
	}
	if d.UserID != nil {
		ok, err := s.store.UserExists(ctx, *d.UserID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.BadRequest("User with ID %s doesn't exist", d.UserID)
		}
	}
	return nil
}

// ParseRef is the id a body field gives a reference column: cur when the
// body leaves the field out, nil for null, the parsed UUID otherwise (a 400
// "<key> <value> is not a valid UUID" when it is none). Package widgetconfig
// shares it.
func ParseRef(key string, v model.Nullable[string], cur *uuid.UUID) (*uuid.UUID, error) {
	if !v.Set {
		return cur, nil
	}
	if v.Value == nil {
		return nil, nil
	}
	id, err := uuid.Parse(*v.Value)
	if err != nil || len(*v.Value) != 36 {
		return nil, apperr.BadRequest("%s %s is not a valid UUID", key, *v.Value)
	}
	return &id, nil
}

// sameProject compares two optional project ids.
func sameProject(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
