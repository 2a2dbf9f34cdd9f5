package quarantine

import (
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// View is an entry as the API shows it.
type View struct {
	ID        string  `json:"id"`
	ProjectID string  `json:"project_id"`
	Pattern   string  `json:"pattern"`
	Kind      string  `json:"kind"` // "exact" or "glob"
	Reason    string  `json:"reason"`
	Owner     *string `json:"owner"`
	Created   string  `json:"created"`
	Updated   string  `json:"updated"`
	Expires   *string `json:"expires"`
	Active    bool    `json:"active"`
}

// NewView renders e as of now.
func NewView(e *Entry, now time.Time) View {
	kind := "exact"
	if e.IsGlob {
		kind = "glob"
	}
	return View{ID: e.ID.String(), ProjectID: e.ProjectID.String(), Pattern: e.Pattern, Kind: kind, Reason: e.Reason,
		Owner: e.Owner, Created: model.FormatTime(e.Created), Updated: model.FormatTime(e.Updated),
		Expires: model.FormatTimePtr(e.Expires), Active: e.ActiveAt(now)}
}
