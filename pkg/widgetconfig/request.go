package widgetconfig

import (
	"encoding/json"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Request is the body of POST and PUT /api/widget-config. A field the body
// leaves out is nil (or not Set) and keeps the stored value on PUT; the
// ids stay text so the service checks them in upstream's order (after the
// widget type).
type Request struct {
	Widget      *string                        `json:"widget"`
	Type        *string                        `json:"type"`
	Title       model.Nullable[string]         `json:"title"`
	Params      model.Nullable[map[string]any] `json:"params"`
	Weight      model.Nullable[int]            `json:"weight"`
	Navigable   model.Nullable[bool]           `json:"navigable"`
	ProjectID   model.Nullable[string]         `json:"project_id"`
	DashboardID model.Nullable[string]         `json:"dashboard_id"`
	// Project is a project name or id (upstream's "project"); null counts
	// as absent.
	Project *string `json:"project"`
}

// RequestSchema is the body's JSON schema, checked before a Request is read
// from it (exported so a test can hold it against the OpenAPI document).
var RequestSchema = httpx.Schema{
	"id": {Kind: httpx.String}, "type": {Kind: httpx.String, Enum: []string{"widget", "view"}},
	"widget": {Kind: httpx.String}, "title": {Kind: httpx.String, Nullable: true},
	"params": {Kind: httpx.Object, Nullable: true}, "weight": {Kind: httpx.Integer, Nullable: true},
	"project": {Kind: httpx.String, Nullable: true}, "project_id": {Kind: httpx.String, Nullable: true},
	"dashboard_id": {Kind: httpx.String, Nullable: true}, "navigable": {Kind: httpx.Any, Nullable: true},
}

// newRequest reads a body that RequestSchema has accepted.
func newRequest(body map[string]any) Request {
	return Request{
		Widget:      httpx.Str(body, "widget"),
		Type:        httpx.Str(body, "type"),
		Title:       model.NullableOf[string](body, "title"),
		Params:      model.NullableOf[map[string]any](body, "params"),
		Weight:      weight(body),
		Navigable:   navigable(body),
		ProjectID:   model.NullableOf[string](body, "project_id"),
		DashboardID: model.NullableOf[string](body, "dashboard_id"),
		Project:     httpx.Str(body, "project"),
	}
}

// weight reads "weight" (an integer or null).
func weight(body map[string]any) model.Nullable[int] {
	v, ok := body["weight"]
	if !ok {
		return model.Nullable[int]{}
	}
	out := model.Nullable[int]{Set: true}
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			iv := int(i)
			out.Value = &iv
		}
	}
	return out
}

// navigable reads "navigable" as upstream coerces it: a boolean, a string
// by upstream's string-to-boolean rule (true iff its first character is y,
// t or 1, in any case), anything else null.
func navigable(body map[string]any) model.Nullable[bool] {
	v, ok := body["navigable"]
	if !ok {
		return model.Nullable[bool]{}
	}
	out := model.Nullable[bool]{Set: true}
	switch n := v.(type) {
	case bool:
		out.Value = &n
	case string:
		b := n != "" && strings.ContainsRune("yt1", rune(strings.ToLower(n)[0]))
		out.Value = &b
	}
	return out
}
