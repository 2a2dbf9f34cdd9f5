package widget_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// env wraps a test backend with seeding helpers.
type env struct {
	*backendtest.Env
	t       *testing.T
	project uuid.UUID
	// outsider is the token of a user who is no member of project.
	outsider string
}

// bothDBs runs fn against PostgreSQL and SQLite.
func bothDBs(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, sqlite := range []bool{false, true} {
		name := "postgres"
		if sqlite {
			name = "sqlite"
		}
		t.Run(name, func(t *testing.T) {
			be := backendtest.New(t, backendtest.Options{SQLite: sqlite})
			e := &env{Env: be, t: t, project: uuid.New()}
			p := &model.Project{ID: e.project, Name: model.Ptr("my-project")}
			if err := be.App.DB.Conn(context.Background()).Create(p).Error; err != nil {
				t.Fatal(err)
			}
			m := &model.UserProject{UserID: be.User.ID, ProjectID: e.project}
			if err := be.App.DB.Conn(context.Background()).Create(m).Error; err != nil {
				t.Fatal(err)
			}
			e.outsider = be.TokenFor(be.CreateUser("outsider@example.com", "outsider-password", false))
			fn(t, e)
		})
	}
}

// run inserts a run of the test project.
func (e *env) run(start time.Time, component string, md, summary map[string]any, mod ...func(*model.Run)) *model.Run {
	e.t.Helper()
	r := &model.Run{ID: uuid.New(), ProjectID: &e.project, StartTime: start.UTC(), Created: start.UTC(), Data: md, Summary: summary}
	if component != "" {
		r.Component = &component
	}
	for _, m := range mod {
		m(r)
	}
	if err := e.App.DB.Conn(context.Background()).Create(r).Error; err != nil {
		e.t.Fatal(err)
	}
	return r
}

// result inserts a result of the test project.
func (e *env) result(start time.Time, component, outcome string, md map[string]any) *model.Result {
	e.t.Helper()
	r := &model.Result{ID: uuid.New(), ProjectID: &e.project, StartTime: start.UTC(), Data: md, Result: &outcome}
	if component != "" {
		r.Component = &component
	}
	if err := e.App.DB.Conn(context.Background()).Create(r).Error; err != nil {
		e.t.Fatal(err)
	}
	return r
}

// get calls path as the superadmin, checks the status and the OpenAPI
// response schema, and returns the raw body.
func (e *env) call(method, path string, body any, token string, want int) []byte {
	e.t.Helper()
	return e.DoSpec(method, path, body, token, want).Body.Bytes()
}

// jsonEq fails unless got and want are the same JSON value.
func jsonEq(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("bad JSON %s", got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation %s", want)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Fatalf("got  %s\nwant %s", gb, wb)
	}
}

func obj(t *testing.T, b []byte) map[string]any {
	t.Helper()
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("bad JSON %s", b)
	}
	return m
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
