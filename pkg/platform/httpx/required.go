package httpx

import (
	"net/http"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Required fails with upstream's 400 problem "'<key>' is a required
// property" for the first key absent from body (schema `required`).
func Required(body map[string]any, keys ...string) error {
	for _, k := range keys {
		if _, ok := body[k]; !ok {
			return apperr.Problem(http.StatusBadRequest, "'%s' is a required property", k)
		}
	}
	return nil
}

// EmailFormat enforces the schema's `format: email` on a string property
// when present: like upstream's validator it only requires an "@".
func EmailFormat(body map[string]any, key string) error {
	if s, ok := body[key].(string); ok && !strings.Contains(s, "@") {
		return apperr.Problem(http.StatusBadRequest, "'%s' is not a 'email' - '%s'", s, key)
	}
	return nil
}
