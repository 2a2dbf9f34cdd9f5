package run

import "github.com/ibutsu-go/ibutsu/pkg/model"

// CreateRequest is the body of POST /run and PUT /run/{id} (the spec's
// RunInput; upstream uses one schema for both). On update an absent field
// is left unchanged; source, component, env and summary distinguish null
// (clear it) from absent, so they are model.Nullable.
type CreateRequest struct {
	ID        *string                        `json:"id"`
	Created   *string                        `json:"created"`
	StartTime *string                        `json:"start_time"`
	Duration  *float64                       `json:"duration"`
	Source    model.Nullable[string]         `json:"source"`
	Component model.Nullable[string]         `json:"component"`
	Env       model.Nullable[string]         `json:"env"`
	ProjectID *string                        `json:"project_id"`
	Metadata  map[string]any                 `json:"metadata"`
	Summary   model.Nullable[map[string]any] `json:"summary"`
}

// UpdateRequest is the body of PUT /run/{id}: the same schema as POST.
type UpdateRequest = CreateRequest

// summary is the summary the request sets (nil when absent or null).
func (r *CreateRequest) summary() map[string]any {
	if r.Summary.Value == nil {
		return nil
	}
	return *r.Summary.Value
}

// BulkUpdateRequest is a checked POST /runs/bulk-update: the filters that
// select the runs (at least one), how many at most, and the non-empty
// metadata to add to each.
type BulkUpdateRequest struct {
	Filters  []string
	PageSize int
	Metadata map[string]any
}
