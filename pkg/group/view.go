// Package group owns groups: an organisational label on projects and users.
// Upstream has no delete endpoint; neither do we. Upstream lets any user
// create and change groups; here every user still reads them, but only
// superadmins write them, since a group is shared by every project that
// names it (see docs/security.md).
package group

import "github.com/ibutsu-go/ibutsu/pkg/model"

// View is a group as the API shows it.
type View struct {
	ID       string         `json:"id"`
	Name     *string        `json:"name"`
	Metadata map[string]any `json:"metadata"`
}

// NewView renders g.
func NewView(g *model.Group) View {
	return View{ID: g.ID.String(), Name: g.Name, Metadata: g.Data.OrEmpty()}
}
