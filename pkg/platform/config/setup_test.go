package config

import "testing"

// An explicit BACKEND_URL still wins over the derived default, and a
// specific HOST is used instead of loopback.
func TestBackendURLDefault(t *testing.T) {
	for _, tc := range []struct{ host, port, backendURL, want string }{
		{"", "9191", "", "http://127.0.0.1:9191"},
		{"0.0.0.0", "8080", "", "http://127.0.0.1:8080"},
		{"::", "8080", "", "http://127.0.0.1:8080"},
		{"10.1.2.3", "9000", "", "http://10.1.2.3:9000"},
		{"", "9191", "https://ibutsu.example/", "https://ibutsu.example"},
	} {
		t.Setenv("HOST", tc.host)
		t.Setenv("PORT", tc.port)
		t.Setenv("BACKEND_URL", tc.backendURL)
		cfg, err := Load("")
		if err != nil {
			t.Fatal(err)
		}
		if cfg.BackendURL != tc.want || (tc.backendURL == "" && cfg.Redacted()["backend_url"] != tc.want) {
			t.Errorf("HOST=%q PORT=%s BACKEND_URL=%q: %q (logged %q), want %q", tc.host, tc.port, tc.backendURL, cfg.BackendURL, cfg.Redacted()["backend_url"], tc.want)
		}
	}
}
