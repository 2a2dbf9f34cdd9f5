package user

import "github.com/ibutsu-go/ibutsu/pkg/model"

// View is a user as the API shows it: never the password hash or the
// activation code (upstream leaks both inside nested project users).
type View struct {
	ID           string  `json:"id"`
	Email        string  `json:"email"`
	Name         *string `json:"name"`
	IsSuperadmin bool    `json:"is_superadmin"`
	IsActive     bool    `json:"is_active"`
	GroupID      *string `json:"group_id"`
}

// NewView renders u.
func NewView(u *model.User) View {
	return View{ID: u.ID.String(), Email: u.Email, Name: u.Name, IsSuperadmin: u.IsSuperadmin, IsActive: u.IsActive,
		GroupID: model.UUIDString(u.GroupID)}
}
