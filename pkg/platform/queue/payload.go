package queue

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
)

// DecodePayload unmarshals a task's payload into v. A payload that does not
// decode will not decode on a retry either, so the error wraps ErrSkipRetry;
// it reads "<task> payload: <cause>".
func DecodePayload(task string, payload []byte, v any) error {
	if err := json.Unmarshal(payload, v); err != nil {
		return badPayload(task, err)
	}
	return nil
}

// DecodeIDPayload decodes a payload of type T that names one row (a run, a
// webhook, an import, a user) and parses that row's id, which idOf reads
// from the payload; an id that is not a UUID fails as DecodePayload does.
func DecodeIDPayload[T any](task string, payload []byte, idOf func(*T) string) (T, uuid.UUID, error) {
	var p T
	if err := DecodePayload(task, payload, &p); err != nil {
		return p, uuid.Nil, err
	}
	id, err := uuid.Parse(idOf(&p))
	if err != nil {
		return p, uuid.Nil, badPayload(task, err)
	}
	return p, id, nil
}

func badPayload(task string, err error) error {
	return fmt.Errorf("%s payload: %w: %w", task, err, ErrSkipRetry)
}
