package dashboard

import (
	"net/http"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Request is the body of POST and PUT /api/dashboard: a field the body
// leaves out is nil (or not Set) and keeps the stored value on PUT. The
// ids stay text here; the service checks them (ParseRef) in upstream's
// order, after the title.
type Request struct {
	Title       *string                `json:"title"`
	Description model.Nullable[string] `json:"description"`
	Filters     model.Nullable[string] `json:"filters"`
	ProjectID   model.Nullable[string] `json:"project_id"`
	UserID      model.Nullable[string] `json:"user_id"`
}

// RequestSchema is the body's JSON schema, checked before a Request is read
// from it (exported so a test can hold it against the OpenAPI document).
var RequestSchema = httpx.Schema{
	"id": {Kind: httpx.String}, "title": {Kind: httpx.String},
	"description": {Kind: httpx.String, Nullable: true}, "filters": {Kind: httpx.String, Nullable: true},
	"project_id": {Kind: httpx.String, Nullable: true}, "user_id": {Kind: httpx.String, Nullable: true},
}

// newRequest reads a body that RequestSchema has accepted.
func newRequest(body map[string]any) Request {
	return Request{
		Title:       httpx.Str(body, "title"),
		Description: model.NullableOf[string](body, "description"),
		Filters:     model.NullableOf[string](body, "filters"),
		ProjectID:   model.NullableOf[string](body, "project_id"),
		UserID:      model.NullableOf[string](body, "user_id"),
	}
}

// requireTitle is the schema's `required: [title]` (an empty title counts
// as missing), checked on POST only.
func (r Request) requireTitle() error {
	if r.Title == nil || *r.Title == "" {
		return apperr.Problem(http.StatusBadRequest, "'title' is a required property")
	}
	return nil
}
