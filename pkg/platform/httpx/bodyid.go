package httpx

import (
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// BodyIDOrNew is the primary key of a row a POST creates: the body's "id"
// when the client chose one, a fresh random UUID otherwise. It exists so
// the create handlers that accept a client id share one parse and its
// upstream 400 text, "ID: <value> is not a valid UUID" (the same as
// PathUUID's).
func BodyIDOrNew(body map[string]any) (uuid.UUID, error) {
	s := Str(body, "id")
	if s == nil {
		return uuid.New(), nil
	}
	id, ok := ParseUUID(*s)
	if !ok {
		return uuid.Nil, apperr.BadRequest("ID: %s is not a valid UUID", *s)
	}
	return id, nil
}
