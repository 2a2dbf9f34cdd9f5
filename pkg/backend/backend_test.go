package backend_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

func TestHealthEndpoints(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite})

		r := e.Do("GET", "/api/health", nil, "")
		if r.Code != 200 || strings.TrimSpace(r.Body.String()) != `{"status":"OK","message":"Service is running"}` {
			t.Fatalf("health: %d %s", r.Code, r.Body)
		}
		if ct := r.Header().Get("Content-Type"); ct != "application/json" {
			t.Fatalf("content type %q", ct)
		}

		r = e.Do("GET", "/api/health/info", nil, "")
		if r.Code != 401 || r.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("info without token: %d %s", r.Code, r.Body)
		}
		if p := r.Map(); p["detail"] != "No authorization token provided" || p["status"] != float64(401) || p["title"] != "Unauthorized" || p["type"] != "about:blank" {
			t.Fatalf("problem body %v", p)
		}

		r = e.Do("GET", "/api/health/info", nil, e.AdminToken)
		info := r.Map()
		if r.Code != 200 || info["api_ui"] != info["backend"].(string)+"/api/ui/" || info["frontend"] == nil {
			t.Fatalf("info: %d %v", r.Code, info)
		}

		r = e.Do("GET", "/api/health/database", nil, e.UserToken)
		if r.Code != 200 || r.Map()["status"] != "OK" {
			t.Fatalf("database health: %d %s", r.Code, r.Body)
		}
		r = e.Do("GET", "/api/health/ready", nil, "")
		if r.Code != 200 {
			t.Fatalf("ready: %d %s", r.Code, r.Body)
		}
		e.App.Health.Ready.Store(false)
		if r = e.Do("GET", "/api/health/ready", nil, ""); r.Code != 503 {
			t.Fatalf("ready while shutting down: %d", r.Code)
		}
		if r = e.Do("GET", "/", nil, ""); r.Code != 200 {
			t.Fatalf("root: %d", r.Code)
		}
	})
}

func TestDatabaseHealthReportsOutage(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	token := e.UserToken
	// Authenticate first (needs the DB), then take the pool away.
	req := func() int { return e.Do("GET", "/api/health/database", nil, token).Code }
	if req() != 200 {
		t.Fatal("database health should be OK first")
	}
	_ = e.App.DB.SQL.Close()
	r := e.Do("GET", "/api/health/ready", nil, "")
	if r.Code != 503 || r.Map()["message"] != "Unable to connect to the database" {
		t.Fatalf("ready with DB gone: %d %s", r.Code, r.Body)
	}
}

func TestAuthenticationFailuresAre401(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	cases := map[string]string{
		"garbage":      "Bearer not.a.jwt",
		"empty bearer": "Bearer ",
		"basic":        "Basic dXNlcjpwYXNz",
		"wrong secret": "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMiLCJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJl",
		"alg none":     "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxMjMiLCJleHAiOjQxMDI0NDQ4MDB9.",
		"lowercase":    "bearer not.a.jwt",
		"deleted user": "Bearer " + e.TokenFor(e.CreateUser("gone@example.com", "pw", false)),
	}
	// remove the "deleted user" before use
	e.App.DB.Gorm.Exec("DELETE FROM users WHERE email = ?", "gone@example.com")
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			r := e.Do("GET", "/api/health/info", nil, "", "Authorization", h)
			if r.Code != 401 || r.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%s: %d %s", name, r.Code, r.Body)
			}
		})
	}
}

func TestRoutingErrorsAreProblems(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{SQLite: true})
	if r := e.Do("GET", "/api/health/", nil, ""); r.Code != 404 || r.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("trailing slash must 404: %d", r.Code)
	}
	if r := e.Do("DELETE", "/api/health", nil, ""); r.Code != 405 {
		t.Fatalf("wrong method: %d", r.Code)
	}
	r := e.Do("OPTIONS", "/api/health/info", nil, "", "Origin", "http://ui.example", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization")
	if r.Code != 200 || r.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(r.Header().Get("Access-Control-Allow-Headers"), "authorization") {
		t.Fatalf("preflight: %d %v", r.Code, r.Header())
	}
	if r := e.Do("GET", "/api/health", nil, "", "X-Request-Id", "abc123"); r.Header().Get("X-Request-Id") != "abc123" {
		t.Fatalf("request id not echoed: %v", r.Header())
	}
	if r := e.Do("GET", "/metrics", nil, ""); r.Code != 200 || !strings.Contains(r.Body.String(), `ibutsu_http_requests_total{method="GET",route="/api/health",status="200"}`) || !strings.Contains(r.Body.String(), "go_sql_max_open_connections") {
		t.Fatalf("metrics: %d %.400s", r.Code, r.Body)
	}
}

func TestPanicsBecome500Problems(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{SQLite: true})
	e.App.Router.GET("/test/panic", func(*gin.Context) { panic("boom") })
	r := e.Do("GET", "/test/panic", nil, "")
	if r.Code != 500 || r.Header().Get("Content-Type") != "application/problem+json" || strings.Contains(r.Body.String(), "boom") {
		t.Fatalf("panic: %d %s", r.Code, r.Body)
	}
}

// TestGracefulShutdownFinishesInFlight cancels the server while a request
// is running: readiness flips, the request still completes, Serve returns.
func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{SQLite: true})
	started := make(chan struct{})
	e.App.Router.GET("/test/slow", func(c *gin.Context) {
		close(started)
		time.Sleep(400 * time.Millisecond)
		c.String(200, "done")
	})
	srv := e.Listen()

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(srv.URL + "/test/slow")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		got <- resp.Status + " " + string(b)
	}()
	<-started
	err := srv.Stop()
	if body := <-got; body != "200 OK done" {
		t.Fatalf("in-flight request: %s", body)
	}
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	if e.App.Health.Ready.Load() {
		t.Fatal("readiness must be off after shutdown began")
	}
	if _, err := http.Get(srv.URL + "/api/health"); err == nil {
		t.Fatal("server still accepting after shutdown")
	}
}
