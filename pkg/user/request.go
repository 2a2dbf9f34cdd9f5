package user

import "github.com/ibutsu-go/ibutsu/pkg/model"

// ProfileRequest holds the account fields a user may change on their own
// account (PUT /user), which the admin routes change too: a nil Email or
// Password, or an unset Name, leaves the stored value alone.
type ProfileRequest struct {
	Name     model.Nullable[string]
	Email    *string
	Password *string
}
