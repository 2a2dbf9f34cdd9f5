package importer

import "github.com/ibutsu-go/ibutsu/pkg/model"

// View is an import as the API shows it (contract §4.9): `metadata` is the
// data column; the run id appears as metadata.run_id once done.
type View struct {
	ID       string         `json:"id"`
	Filename *string        `json:"filename"`
	Format   *string        `json:"format"`
	Metadata map[string]any `json:"metadata"`
	Status   *string        `json:"status"`
	Created  string         `json:"created"`
}

// NewView renders imp.
func NewView(imp *model.Import) View {
	return View{ID: imp.ID.String(), Filename: imp.Filename, Format: imp.Format, Metadata: imp.Data.OrEmpty(),
		Status: imp.Status, Created: model.FormatTime(imp.Created)}
}
