package user

import (
	"net/http"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// PasswordTooLong is upstream's LoginError for passwords bcrypt cannot take.
func PasswordTooLong() error {
	return &apperr.Error{Status: http.StatusBadRequest, Message: "Password is too long (max 72 bytes)",
		Body: map[string]string{"code": "INVALID", "message": "Password is too long (max 72 bytes)"}}
}
