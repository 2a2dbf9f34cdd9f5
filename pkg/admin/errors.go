package admin

import (
	"net/http"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// The admin routes answer with upstream's problem bodies, word for word.
func errNoToken() error {
	return apperr.Problem(http.StatusUnauthorized, "No authorization token provided")
}

func errNotSuperadmin() error {
	return apperr.Problem(http.StatusForbidden, "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.")
}

// notFound is the admin routes' 404 problem.
func notFound() error {
	return apperr.Problem(http.StatusNotFound, "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.")
}

// badRequest is a 400 problem with a fixed message.
func badRequest(msg string) error {
	return apperr.Problem(http.StatusBadRequest, "%s", msg)
}
