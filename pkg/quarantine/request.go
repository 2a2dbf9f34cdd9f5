package quarantine

import "github.com/ibutsu-go/ibutsu/pkg/model"

// CreateRequest is the body of POST /api/project/{id}/quarantine.
type CreateRequest struct {
	Pattern *string                `json:"pattern"`
	Reason  *string                `json:"reason"`
	Owner   model.Nullable[string] `json:"owner"`
	Expires model.Nullable[string] `json:"expires"`
}

// UpdateRequest is the body of PUT /api/project/{id}/quarantine/{entry}:
// absent fields keep their value; owner and expires may be null.
type UpdateRequest struct {
	Pattern *string                `json:"pattern"`
	Reason  *string                `json:"reason"`
	Owner   model.Nullable[string] `json:"owner"`
	Expires model.Nullable[string] `json:"expires"`
}
