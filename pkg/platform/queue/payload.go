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

// PayloadID parses an id a task's payload carries, failing as
// DecodePayload does (no retry) when it is not a UUID.
func PayloadID(task, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, badPayload(task, err)
	}
	return id, nil
}

func badPayload(task string, err error) error {
	return fmt.Errorf("%s payload: %w: %w", task, err, ErrSkipRetry)
}
