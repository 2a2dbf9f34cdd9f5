package project

import (
	"net/http"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// errOwnerGroupIDs answers GET /project?ownerId=…&groupId=… with a non-UUID.
func errOwnerGroupIDs() error {
	return apperr.Problem(http.StatusBadRequest, "ownerId and groupId must be UUIDs")
}

// errRetentionDays answers a retention value that is not a day count.
func errRetentionDays(key string) error {
	return apperr.Problem(http.StatusBadRequest, "retention.%s must be a non-negative integer or null", key)
}
