// Package backendtest builds a complete backend (real router, real
// PostgreSQL or SQLite, in-process or Redis queue) for API tests, with a
// superadmin and a normal user already logged in. Tests drive the router
// through httptest exactly as clients drive the server.
package backendtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/mail"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// Options choose the backing services.
type Options struct {
	// SQLite selects the embedded database instead of PostgreSQL.
	SQLite bool
	// Redis routes tasks through Redis instead of the in-process pool (the
	// test must then run a worker itself: Env.StartWorker).
	Redis bool
	// RedisDown routes tasks through a Redis that is not there: the real
	// client against a closed port, for what writes and uploads do while
	// Redis is down.
	RedisDown bool
	// Configure adjusts the config before the app is built.
	Configure func(*config.Config)
	// App are passed to backend.New (e.g. backend.WithUI).
	App []backend.Option
}

// Env is a running test backend.
type Env struct {
	T   testing.TB
	App *backend.App
	// Admin is a superadmin; User a normal active user. Their tokens are
	// login JWTs.
	Admin, User           *model.User
	AdminToken, UserToken string
	// Mail records every e-mail the backend sends (it replaces App.Mailer).
	Mail *mail.Recorder
}

// Quiet is a logger that drops everything; tests that want logs pass their own.
func Quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Config returns the config a test backend runs with.
func Config(t testing.TB, opts Options) *config.Config {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.JWT.Secret = "backendtest-secret"
	cfg.BcryptRounds = 4
	cfg.Superadmin = config.Superadmin{Email: "admin@example.com", Password: "admin-password", Name: "Admin"}
	if opts.SQLite {
		cfg.Database.SQLitePath = filepath.Join(cfg.DataDir, "ibutsu.db")
	} else {
		cfg.Database.URL = testenv.NewPostgresDatabase(t)
	}
	switch {
	case opts.RedisDown:
		cfg.Redis.URL = "redis://127.0.0.1:1" // nothing listens there
	case opts.Redis:
		cfg.Redis.URL = testenv.RedisURL(t)
	}
	if opts.Configure != nil {
		opts.Configure(cfg)
	}
	return cfg
}

// New builds the backend and its two users.
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	cfg := Config(t, opts)
	app, err := backend.New(context.Background(), cfg, Quiet(), Quiet(), opts.App...)
	if err != nil {
		t.Fatalf("build backend: %v", err)
	}
	t.Cleanup(func() { _ = app.Close() })
	e := &Env{T: t, App: app, Mail: &mail.Recorder{}}
	app.Mailer = e.Mail
	ctx := context.Background()
	e.Admin, err = app.Users.ByEmail(ctx, cfg.Superadmin.Email)
	if err != nil {
		t.Fatal(err)
	}
	e.User = e.CreateUser("user@example.com", "user-password", false)
	e.AdminToken = e.TokenFor(e.Admin)
	e.UserToken = e.TokenFor(e.User)
	return e
}

// StartWorker runs an asynq worker of concurrency goroutines on the
// App's task registry and queue in Redis (Options.Redis), as cmd/worker
// does, until the test ends.
func (e *Env) StartWorker(concurrency int) {
	e.T.Helper()
	cfg := e.App.Config
	opt, err := queue.RedisConnOpt(cfg.Redis.URL)
	if err != nil {
		e.T.Fatal(err)
	}
	srv, mux := queue.NewServer(opt, e.App.Services.Registry(), cfg.Tasks.Queue, concurrency, 5*time.Second, Quiet())
	if err := srv.Start(mux); err != nil {
		e.T.Fatal(err)
	}
	e.T.Cleanup(srv.Shutdown)
}

// CreateUser adds an active user.
func (e *Env) CreateUser(email, password string, superadmin bool) *model.User {
	e.T.Helper()
	hash, err := user.HashPassword(password, 4)
	if err != nil {
		e.T.Fatal(err)
	}
	name := strings.Split(email, "@")[0]
	u := &model.User{Email: email, Password: &hash, Name: &name, IsActive: true, IsSuperadmin: superadmin}
	if err := e.App.Users.Create(context.Background(), u); err != nil {
		e.T.Fatal(err)
	}
	return u
}

// CreateProject adds a project named name through the project service
// (owner as its creator, what POST /api/project does), so it has the
// default dashboard and membership a project made through the API has.
func (e *Env) CreateProject(name string, owner *model.User) *model.Project {
	e.T.Helper()
	p := &model.Project{Name: &name}
	if err := e.App.Services.Projects.Create(context.Background(), p, owner); err != nil {
		e.T.Fatal(err)
	}
	return p
}

// TokenFor mints a login token for u.
func (e *Env) TokenFor(u *model.User) string {
	e.T.Helper()
	tok, err := e.App.Signer.IssueLogin(u.ID)
	if err != nil {
		e.T.Fatal(err)
	}
	return tok
}

// Response is a recorded reply with helpers to read it.
type Response struct {
	*httptest.ResponseRecorder
	t testing.TB
}

// Wrap makes a Response of a recorder a test filled itself.
func Wrap(t testing.TB, rec *httptest.ResponseRecorder) *Response {
	return &Response{ResponseRecorder: rec, t: t}
}

// JSON decodes the body into v (fails the test if it is not JSON).
func (r *Response) JSON(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		r.t.Fatalf("response is not JSON (%v): %s", err, r.Body.String())
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map() map[string]any {
	r.t.Helper()
	m := map[string]any{}
	r.JSON(&m)
	return m
}

// CheckSpec fails the test, without stopping it, unless r, the answer to
// method path, is one the OpenAPI document allows for that operation.
func (e *Env) CheckSpec(method, path, token string, r *Response) {
	e.T.Helper()
	req, err := http.NewRequest(method, "http://localhost"+path, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if err := e.App.OpenAPI.ValidateResponse(context.Background(), req, r.Code, r.Header(), r.Body.Bytes()); err != nil {
		e.T.Errorf("%s %s -> %d %s: response does not match the spec: %v", method, path, r.Code, r.Body, err)
	}
}

// DoSpec is Do, then the status must be want (else the test stops) and the
// answer one the spec allows (CheckSpec).
func (e *Env) DoSpec(method, path string, body any, token string, want int) *Response {
	e.T.Helper()
	r := e.Do(method, path, body, token)
	if r.Code != want {
		e.T.Fatalf("%s %s: %d %s, want %d", method, path, r.Code, r.Body, want)
	}
	e.CheckSpec(method, path, token, r)
	return r
}

// Do sends a request through the router. body may be nil, a string/[]byte
// (sent as is) or any value (sent as JSON). token "" sends no Authorization.
func (e *Env) Do(method, path string, body any, token string, headers ...string) *Response {
	e.T.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		rd, ct = bytes.NewReader(buf), "application/json"
	}
	req := httptest.NewRequest(method, path, rd)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.Serve(req)
}

// Serve runs a prepared request through the router.
func (e *Env) Serve(req *http.Request) *Response {
	rec := httptest.NewRecorder()
	e.App.Router.ServeHTTP(rec, req)
	return &Response{ResponseRecorder: rec, t: e.T}
}

// TarGz builds a .tar.gz of name/content pairs, the archive upload POST
// /api/import unpacks.
func TarGz(t testing.TB, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f[0], Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(f[1]))}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte(f[1]))
	}
	_ = tw.Close()
	_ = zw.Close()
	return buf.Bytes()
}
