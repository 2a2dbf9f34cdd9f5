package widgetconfig

import (
	"context"
	"errors"
	"reflect"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/widget"
)

// defaultWeight replaces a falsy weight (absent, null or 0), as upstream does.
const defaultWeight = 10

// Service holds the rules of /api/widget-config (pkg/openapi/spec/paths/widget_configs.yaml): the
// tenancy rule of service_access.go, the widget type and params checks and
// upstream's defaults.
type Service struct {
	store    *Store
	projects *project.Store
	access   *dashboard.Access
}

// NewService builds the service.
func NewService(store *Store, projects *project.Store) *Service {
	return &Service{store: store, projects: projects, access: dashboard.NewAccess(projects)}
}

// List is one page of the configs u may read matching the filter
// expressions, and the total.
func (s *Service) List(ctx context.Context, u *model.User, filters []string, page dashboard.Page) ([]model.WidgetConfig, int64, error) {
	where, args, err := s.store.Filter(filters)
	if err != nil {
		return nil, 0, err
	}
	return s.store.List(ctx, u, where, args, page)
}

// Create adds config id from r.
//
// The dashboard the body names is read under a share lock (lockTarget)
// and the config takes its project from that row: a dashboard move
// committing while the config is created would otherwise leave the new
// config in the project the dashboard left, on a dashboard of another
// project.
func (s *Service) Create(ctx context.Context, u *model.User, id uuid.UUID, r Request) (*model.WidgetConfig, error) {
	w := &model.WidgetConfig{ID: id}
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.lockTarget(ctx, r); err != nil {
			return err
		}
		if err := s.apply(ctx, w, r, true); err != nil {
			return err
		}
		_, err := dashboard.Written(ctx, s.access, u, w, w.ProjectID, s.store.Create)
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// lockTarget takes a share lock on the dashboard r names, until ctx's
// transaction ends, so that a move of that dashboard (which takes its row
// FOR UPDATE and then the rows of its configs) waits for the write, or the
// write for the move and then reads the moved row. It comes before the
// config's own row lock, in the order the move takes them. A config that
// stays on its dashboard needs none: a move changes the config's row too,
// under the config's row lock. An id that is no UUID or names no dashboard
// locks nothing; place answers it.
func (s *Service) lockTarget(ctx context.Context, r Request) error {
	if !r.DashboardID.Set || r.DashboardID.Value == nil {
		return nil
	}
	id, err := dashboard.ParseRef("dashboard_id", r.DashboardID, nil)
	if err != nil || id == nil {
		return nil //nolint:nilerr // place reports the bad id with its message
	}
	return s.store.LockDashboard(ctx, *id)
}

// Load reads config id, a 404 with notFound when it is missing. It checks
// no access: PUT reads the body before its access check, as upstream does.
func (s *Service) Load(ctx context.Context, id uuid.UUID, notFound string) (*model.WidgetConfig, error) {
	w, err := s.store.Get(ctx, id)
	return w, apperr.NotFoundIf(err, dashboard.ErrNotFound, notFound)
}

// Get is config id for u. It also re-cleans stored params against the
// widget type and saves them when that changed anything, as upstream does.
//
// The rewrite starts from the row under its lock (Store.Relock) and cleans
// the params as they are then: a PUT committed since the first read would
// otherwise have its params replaced by the cleaned old ones. The row is
// checked again too, since it is what the answer shows.
func (s *Service) Get(ctx context.Context, u *model.User, id uuid.UUID) (*model.WidgetConfig, error) {
	w, err := s.Load(ctx, id, "Widget config not found")
	if err != nil {
		return nil, err
	}
	// Scoped, unlike upstream (docs/api-compatibility.md#project-scoping): a foreign config is a 403.
	if err := s.check(ctx, u, w, s.access.CanRead); err != nil {
		return nil, err
	}
	if _, stale := cleanedParams(w); !stale {
		return w, nil
	}
	err = s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.Relock(ctx, w); err != nil {
			return apperr.NotFoundIf(err, dashboard.ErrNotFound, "Widget config not found")
		}
		if err := s.check(ctx, u, w, s.access.CanRead); err != nil {
			return err
		}
		cleaned, stale := cleanedParams(w)
		if !stale {
			return nil
		}
		w.Params = cleaned
		return s.store.SaveParams(ctx, w)
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// cleanedParams is w's params cleaned against its widget type, and whether
// that changed them.
func cleanedParams(w *model.WidgetConfig) (model.JSON, bool) {
	if w.Widget == nil || w.Params == nil {
		return w.Params, false
	}
	cleaned := widget.CleanParams(*w.Widget, w.Params)
	return cleaned, !reflect.DeepEqual(map[string]any(cleaned), map[string]any(w.Params))
}

// Update applies r to w (from Load) when u may write it now and may write
// the project it ends up in.
//
// The dashboard the body names is locked first (lockTarget, as in Create),
// then w is read again under its row lock (Store.Relock) and checked as
// it is then: a dashboard moved meanwhile carried the config to another
// project, and saving the copy Load read would write into a project u may
// not access and put the config back into the project it left.
func (s *Service) Update(ctx context.Context, u *model.User, w *model.WidgetConfig, r Request) (*model.WidgetConfig, error) {
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		if err := s.lockTarget(ctx, r); err != nil {
			return err
		}
		if err := s.store.Relock(ctx, w); err != nil {
			return apperr.NotFoundIf(err, dashboard.ErrNotFound, "Widget config not found")
		}
		if err := s.check(ctx, u, w, s.access.CanWrite); err != nil {
			return err
		}
		if err := s.apply(ctx, w, r, false); err != nil {
			return err
		}
		_, err := dashboard.Written(ctx, s.access, u, w, w.ProjectID, s.store.Save)
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// Delete removes config id when u may (canDelete).
//
// The config is read and checked under its row lock (Store.Relock) in the
// transaction that deletes it: a dashboard move committed after a plain
// read carried it to a project u may not write, and a check on that read
// would let u delete it there.
func (s *Service) Delete(ctx context.Context, u *model.User, id uuid.UUID) error {
	return s.store.Tx(ctx, func(ctx context.Context) error {
		w := &model.WidgetConfig{ID: id}
		if err := s.store.Relock(ctx, w); err != nil {
			return apperr.NotFoundIf(err, dashboard.ErrNotFound, "Not Found")
		}
		if err := s.canDelete(ctx, u, w); err != nil {
			return err
		}
		return s.store.Delete(ctx, w.ID)
	})
}

// apply copies r onto w with every creation/update rule (docs/api-compatibility.md#endpoint-behaviour): widget
// type check, params cleaned, project resolution, weight default and
// navigable default, and the dashboard's project (see matchDashboard).
// create selects POST semantics. Access to the resulting project is the
// caller's check.
func (s *Service) apply(ctx context.Context, w *model.WidgetConfig, r Request, create bool) error {
	if r.Widget != nil || create {
		name := ""
		if r.Widget != nil {
			name = *r.Widget
		}
		if _, known := widget.Lookup(name); !known {
			return apperr.BadRequest("Bad request, widget type does not exist")
		}
		w.Widget = &name
	}
	if r.Type != nil {
		w.Type = r.Type
	}
	if r.Title.Set {
		w.Title = r.Title.Value
	}
	if r.Params.Set {
		w.Params = nil
		if r.Params.Value != nil {
			w.Params = *r.Params.Value
		}
	}
	if w.Params != nil && w.Widget != nil {
		w.Params = widget.CleanParams(*w.Widget, w.Params)
	}
	if r.Weight.Set {
		w.Weight = r.Weight.Value
	}
	if w.Weight == nil || *w.Weight == 0 {
		d := defaultWeight
		w.Weight = &d
	}
	if r.Navigable.Set {
		w.Navigable = r.Navigable.Value
	} else if create && w.Type != nil && *w.Type == "view" {
		t := true
		w.Navigable = &t
	}
	return s.place(ctx, w, r)
}

// place sets w's project and dashboard from r: the ids, the "project"
// name or id, then the dashboard's project rule.
func (s *Service) place(ctx context.Context, w *model.WidgetConfig, r Request) error {
	var err error
	if w.ProjectID, err = dashboard.ParseRef("project_id", r.ProjectID, w.ProjectID); err != nil {
		return err
	}
	if w.DashboardID, err = dashboard.ParseRef("dashboard_id", r.DashboardID, w.DashboardID); err != nil {
		return err
	}
	if r.Project != nil {
		p, err := s.projects.Resolve(ctx, *r.Project)
		if errors.Is(err, project.ErrNotFound) {
			return apperr.BadRequest("Project %s doesn't exist", *r.Project)
		}
		if err != nil {
			return err
		}
		w.ProjectID = &p.ID
	}
	return s.matchDashboard(ctx, w, r.DashboardID.Set, r.ProjectID.Set || r.Project != nil)
}
