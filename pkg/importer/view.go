package importer

import "github.com/ibutsu-go/ibutsu/pkg/model"

// View is an import as the API shows it (docs/api-compatibility.md#imports):
// `metadata` is the
// data column; the run id appears as metadata.run_id once done.
type View struct {
	ID       string         `json:"id"`
	Filename *string        `json:"filename"`
	Format   *string        `json:"format"`
	Metadata map[string]any `json:"metadata"`
	Status   *string        `json:"status"`
	Created  string         `json:"created"`
}

// NewView renders imp. The uploader's id stays internal: upstream's
// imports carry no user, and the id is only used for access checks.
func NewView(imp *model.Import) View {
	md := imp.Data.OrEmpty()
	if _, ok := md[uploaderKey]; ok {
		md = make(map[string]any, len(imp.Data))
		for k, v := range imp.Data {
			if k != uploaderKey {
				md[k] = v
			}
		}
	}
	return View{ID: imp.ID.String(), Filename: imp.Filename, Format: imp.Format, Metadata: md,
		Status: imp.Status, Created: model.FormatTime(imp.Created)}
}
