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
	Title       *string
	Description model.Optional[string]
	Filters     model.Optional[string]
	ProjectID   model.Optional[string]
	UserID      model.Optional[string]
}

var bodySchema = httpx.Schema{
	"id": {Kind: httpx.String}, "title": {Kind: httpx.String},
	"description": {Kind: httpx.String, Nullable: true}, "filters": {Kind: httpx.String, Nullable: true},
	"project_id": {Kind: httpx.String, Nullable: true}, "user_id": {Kind: httpx.String, Nullable: true},
}

// newRequest reads a body that bodySchema has accepted.
func newRequest(body map[string]any) Request {
	return Request{
		Title:       httpx.Str(body, "title"),
		Description: model.OptionalOf[string](body, "description"),
		Filters:     model.OptionalOf[string](body, "filters"),
		ProjectID:   model.OptionalOf[string](body, "project_id"),
		UserID:      model.OptionalOf[string](body, "user_id"),
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
