package resilience

import (
	"os"
	"strings"
	"testing"
)

// need skips the test on a developer's machine when a prerequisite (a
// PostgreSQL or Redis binary) is missing, and fails it under CI=true, so CI
// can never pass by skipping.
func need(t testing.TB, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if strings.EqualFold(os.Getenv("CI"), "true") {
		t.Fatalf("%s; under CI=true this is a failure", what)
	}
	t.Skipf("%s; skipping", what)
}
