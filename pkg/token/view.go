package token

import "github.com/ibutsu-go/ibutsu/pkg/model"

// View is a token as the API shows it, JWT included (the UI lets users copy it).
type View struct {
	ID      string  `json:"id"`
	UserID  *string `json:"user_id"`
	Name    string  `json:"name"`
	Token   string  `json:"token"`
	Expires *string `json:"expires"`
}

// NewView renders t.
func NewView(t *model.Token) View {
	return View{ID: t.ID.String(), UserID: model.UUIDString(t.UserID), Name: t.Name, Token: t.Token, Expires: model.FormatTimePtr(t.Expires)}
}
