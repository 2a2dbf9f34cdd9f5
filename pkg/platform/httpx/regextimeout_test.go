package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestStatementTimeoutOnRegexFilterIsAClientError(t *testing.T) {
	cases := map[string]int{
		"/api/result?filter=test_id~(a%3Fb%3F)%7B200%7Dc":                400,
		"/api/result?filter=project_id=x,metadata.env~a.*b":              400,
		"/api/widget/x?additional_filters=env=a,metadata.component~%5Ea": 400,
		"/api/result?filter=test_id=a~b":                                 504, // '=' is the operator; '~' is in the value
		"/api/result?filter=result=failed":                               504,
		"/api/run":                                                       504,
	}
	for target, want := range cases {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodGet, target, nil)
		if got, _ := statusForTimeout(c, http.StatusGatewayTimeout, "slow"); got != want {
			t.Errorf("%s: %d, want %d", target, got, want)
		}
	}
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodGet, "/api/result?filter=a~b", nil)
	if got, _ := statusForTimeout(c, http.StatusBadRequest, "x"); got != http.StatusBadRequest {
		t.Errorf("non-timeout statuses must pass through: %d", got)
	}
}
