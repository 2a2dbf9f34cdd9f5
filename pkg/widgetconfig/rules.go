package widgetconfig

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/widget"
)

// defaultWeight replaces a falsy weight (absent, null or 0), as upstream does.
const defaultWeight = 10

// truthy is upstream's string-to-boolean rule: true iff the first character
// is y, t or 1 (case-insensitive).
func truthy(s string) bool {
	return s != "" && strings.ContainsRune("yt1", rune(strings.ToLower(s)[0]))
}

// apply copies body onto w with every creation/update rule of widget
// configs (docs/api-compatibility.md#endpoint-behaviour): widget
// type check, params renamed and cleaned, project resolution,
// weight default and navigable coercion, and the dashboard's project (see
// matchDashboard). create selects POST semantics. Access to the resulting
// project is the caller's check.
func (h *Handler) apply(ctx context.Context, w *model.WidgetConfig, body map[string]any, create bool) error {
	if v, ok := body["widget"]; ok || create {
		s, _ := v.(string)
		if _, known := widget.Lookup(s); !known {
			return apperr.BadRequest("Bad request, widget type does not exist")
		}
		w.Widget = &s
	}
	if v, ok := body["type"]; ok {
		w.Type, _ = stringPtr(v)
	}
	if v, ok := body["title"]; ok {
		w.Title, _ = stringPtr(v)
	}
	if _, ok := body["params"]; ok {
		w.Params = model.JSON(httpx.Obj(body, "params"))
	}
	if w.Params != nil && w.Widget != nil {
		w.Params = widget.CleanParams(*w.Widget, w.Params)
	}
	if v, ok := body["weight"]; ok {
		w.Weight = nil
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				iv := int(i)
				w.Weight = &iv
			}
		}
	}
	if w.Weight == nil || *w.Weight == 0 {
		d := defaultWeight
		w.Weight = &d
	}
	if v, ok := body["navigable"]; ok {
		switch n := v.(type) {
		case bool:
			w.Navigable = &n
		case string:
			b := truthy(n)
			w.Navigable = &b
		default:
			w.Navigable = nil
		}
	} else if create && w.Type != nil && *w.Type == "view" {
		t := true
		w.Navigable = &t
	}
	for key, dst := range map[string]**uuid.UUID{"project_id": &w.ProjectID, "dashboard_id": &w.DashboardID} {
		if v, ok := body[key]; ok {
			*dst = nil
			if s, ok := v.(string); ok {
				id, valid := httpx.ParseUUID(s)
				if !valid {
					return apperr.BadRequest("%s %s is not a valid UUID", key, s)
				}
				*dst = &id
			}
		}
	}
	if s := httpx.Str(body, "project"); s != nil {
		p, err := h.projects.Resolve(ctx, *s)
		if errors.Is(err, project.ErrNotFound) {
			return apperr.BadRequest("Project %s doesn't exist", *s)
		}
		if err != nil {
			return err
		}
		w.ProjectID = &p.ID
	}
	_, namesDashboard := body["dashboard_id"]
	_, namesProjectID := body["project_id"]
	namesProject := namesProjectID || httpx.Str(body, "project") != nil
	return h.matchDashboard(ctx, w, namesDashboard, namesProject)
}

func stringPtr(v any) (*string, bool) {
	s, ok := v.(string)
	if !ok {
		return nil, false
	}
	return &s, true
}
