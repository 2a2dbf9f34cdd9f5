package group

import (
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Request is the body of POST and PUT /api/group. Name not Set keeps the
// stored name on PUT; Metadata (nil when absent or null) is merged into
// the stored metadata.
type Request struct {
	Name     model.Nullable[string] `json:"name"`
	Metadata map[string]any         `json:"metadata"`
}

// RequestSchema is the body's JSON schema, checked before a Request is read
// from it (exported so a test can hold it against the OpenAPI document).
var RequestSchema = httpx.Schema{"id": {Kind: httpx.String}, "name": {Kind: httpx.String, Nullable: true}, "metadata": {Kind: httpx.Object, Nullable: true}}

// newRequest reads a body that RequestSchema has accepted.
func newRequest(body map[string]any) Request {
	return Request{Name: model.NullableOf[string](body, "name"), Metadata: httpx.Obj(body, "metadata")}
}

// chosenID is the id a POST body chooses (nil: none), with upstream's 400
// for one that is not a UUID.
func chosenID(body map[string]any) (*uuid.UUID, error) {
	s := httpx.Str(body, "id")
	if s == nil {
		return nil, nil
	}
	id, ok := httpx.ParseUUID(*s)
	if !ok {
		return nil, apperr.BadRequest("Group ID %s is not in UUID format", *s)
	}
	return &id, nil
}
