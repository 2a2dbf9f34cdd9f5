package admin

import (
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// UserRequest is a POST or PUT /admin/user body: the profile fields plus the
// admin-only role, activity and group. Unset fields keep their value.
type UserRequest struct {
	// ID is the id a new user asks for (create only; nil when absent or not a string).
	ID           *string
	Email        string
	Profile      user.ProfileRequest
	IsSuperadmin *bool
	IsActive     *bool
	GroupID      model.Nullable[string]
	// Projects replaces the membership on update (absent or null: none).
	Projects []uuid.UUID
}

// ProjectCreateRequest is a POST /admin/project body; the caller becomes
// owner whatever owner_id it names.
type ProjectCreateRequest struct {
	project.CreateRequest
	Retention model.Nullable[map[string]any]
}

// ProjectUpdateRequest is a PUT /admin/project/{id} body.
type ProjectUpdateRequest struct {
	project.UpdateRequest
	Retention model.Nullable[map[string]any]
}
