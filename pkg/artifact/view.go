// Package artifact owns files attached to results and runs (logs,
// screenshots, tracebacks). Their bytes live in the database, as upstream
// keeps them, so both servers can share one database, or, above a size
// threshold when an S3-compatible store is configured, in its bucket
// (docs/scaling.md).
package artifact

import "github.com/ibutsu-go/ibutsu/pkg/model"

// View is an artifact as the API shows it; `additional_metadata` is the
// `data` column and the bytes are never included.
type View struct {
	ID                 string         `json:"id"`
	ResultID           *string        `json:"result_id"`
	RunID              *string        `json:"run_id"`
	Filename           *string        `json:"filename"`
	AdditionalMetadata map[string]any `json:"additional_metadata"`
	UploadDate         string         `json:"upload_date"`
}

// NewView renders a.
func NewView(a *model.Artifact) View {
	return View{ID: a.ID.String(), ResultID: model.UUIDString(a.ResultID), RunID: model.UUIDString(a.RunID),
		Filename: a.Filename, AdditionalMetadata: a.Data.OrEmpty(), UploadDate: model.FormatTime(a.UploadDate)}
}
