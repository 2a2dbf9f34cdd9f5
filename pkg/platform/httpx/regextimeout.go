package httpx

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// RegexTimeoutMessage answers a statement timeout on a request that filters
// with a regular expression: the client's regex is by far the likeliest
// cause (counted repetitions PostgreSQL cannot match fast), so it is the
// client's error to fix — a 400, not the 504 a slow query of ours would get.
// Exported so that the benchmark can tell this designed refusal from any
// other 400.
const RegexTimeoutMessage = "The regular expression filter made the query exceed the statement timeout; simplify the expression or narrow the other filters"

// hasRegexFilter reports whether any filter parameter of the request uses
// the regex operator: FIELD~VALUE, where FIELD is [A-Za-z0-9._-]+
// (docs/api-compatibility.md#filter-syntax) and several filters may share one
// parameter, comma-separated.
func hasRegexFilter(c *gin.Context) bool {
	for _, key := range []string{"filter", "additional_filters"} {
		for _, v := range c.Request.URL.Query()[key] {
			for _, f := range strings.Split(v, ",") {
				field := strings.TrimLeft(f, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
				if len(field) < len(f) && strings.HasPrefix(field, "~") {
					return true
				}
			}
		}
	}
	return false
}

// statusForTimeout is 400 for regex-filtered requests, else the given code.
func statusForTimeout(c *gin.Context, status int, message string) (int, string) {
	if status == http.StatusGatewayTimeout && hasRegexFilter(c) {
		return http.StatusBadRequest, RegexTimeoutMessage
	}
	return status, message
}
