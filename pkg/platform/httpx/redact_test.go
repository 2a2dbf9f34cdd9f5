package httpx

import "testing"

func TestRedactPath(t *testing.T) {
	for in, want := range map[string]string{
		"/reset-password/Zm9vYmFy":              "/reset-password/REDACTED",
		"/ui/reset-password/Zm9vYmFy/":          "/ui/reset-password/REDACTED/",
		"/api/login/activate/Zm9vYmFy":          "/api/login/activate/REDACTED",
		"/api/login/activate/":                  "/api/login/activate/",
		"/api/login/reset-password":             "/api/login/reset-password",
		"/api/result/3f1c/reset-password-notes": "/api/result/3f1c/reset-password-notes",
		"/api/run":                              "/api/run",
	} {
		if got := RedactPath(in); got != want {
			t.Errorf("RedactPath(%q) = %q, want %q", in, got, want)
		}
	}
}
