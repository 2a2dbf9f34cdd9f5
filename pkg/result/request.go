package result

import (
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// CreateRequest is the body of POST /result (the spec's ResultCreate). Only
// the fields the rules read matter; component and env are derived from the
// metadata and kept here so the struct and the spec list the same fields.
type CreateRequest struct {
	ID        *string        `json:"id"`
	TestID    *string        `json:"test_id"`
	StartTime *string        `json:"start_time"`
	Duration  *float64       `json:"duration"`
	Result    *string        `json:"result"`
	Metadata  map[string]any `json:"metadata"`
	Params    map[string]any `json:"params"`
	Source    *string        `json:"source"`
	Component *string        `json:"component"`
	Env       *string        `json:"env"`
	RunID     *string        `json:"run_id"`
	ProjectID *string        `json:"project_id"`
}

// UpdateRequest is the body of PUT /result/{id} (the spec's ResultUpdate): a
// nil field is left unchanged (the UI PUTs whole fetched results, whose
// nulls mean "unchanged"), except run_id, where null detaches the result
// from its run.
type UpdateRequest struct {
	TestID    *string                `json:"test_id"`
	StartTime *string                `json:"start_time"`
	Duration  *float64               `json:"duration"`
	Result    *string                `json:"result"`
	Metadata  map[string]any         `json:"metadata"`
	Params    map[string]any         `json:"params"`
	Source    *string                `json:"source"`
	Component *string                `json:"component"`
	Env       *string                `json:"env"`
	RunID     model.Nullable[string] `json:"run_id"`
	ProjectID *string                `json:"project_id"`
}

// BulkUpdateRequest is a checked body of POST /results/bulk-update: 1 to
// MaxBulkIDs distinct ids, or (this server's filter mode) the filter
// strings selecting the results, and a non-empty metadata object without
// project.
type BulkUpdateRequest struct {
	IDs      []uuid.UUID
	Filters  []string
	Metadata map[string]any
}

// Deref is *p, or "" for nil.
func Deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
