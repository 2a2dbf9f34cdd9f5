package resilience

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestRegexFiltersAreBoundedByTheStatementTimeout runs backtracking-prone
// regex filters over 20 000 results with long metadata values.
// Back-references, which PostgreSQL matches by exponential backtracking
// (`^(.*)(.*)(.*)\1\2\3$` costs seconds per row), are refused with a 400
// before any SQL runs. PostgreSQL's automaton copes with nested quantifiers;
// large counted repetitions can still be slow, and whatever cannot finish is
// cut off by the per-session statement_timeout and answered 400 with a JSON
// problem (the regex is the client's to fix) — never a 5xx, and never much
// later than the timeout.
func TestRegexFiltersAreBoundedByTheStatementTimeout(t *testing.T) {
	t.Parallel()
	const timeout = 150 * time.Millisecond
	// Set up (migrations, data) with the default timeout, then query through
	// a second backend on the same database with the short one.
	e := backendtest.New(t, backendtest.Options{})
	pid := e.Do("POST", "/api/project", map[string]any{"name": "p1"}, e.AdminToken).Map()["id"].(string)
	if err := e.App.DB.Gorm.Exec(`INSERT INTO results (id, project_id, test_id, result, start_time, env, data)
		SELECT gen_random_uuid(), ?, 'test_' || i, 'passed', now(), 'e',
		       jsonb_build_object('project', 'p1', 'env', repeat('ab', 200) || i, 'component', repeat('a', 100))
		FROM generate_series(1, 20000) AS i`, pid).Error; err != nil {
		t.Fatal(err)
	}
	cfg := *e.App.Config
	cfg.Database.StatementTimeout = timeout
	cfg.Database.MigrateOnStart = false
	short, err := backend.New(context.Background(), &cfg, quiet(), quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = short.Close() })
	codes := map[int]int{}
	timedOut := 0
	backrefs := []string{`metadata.env~((ab)*)*\1c`, `metadata.component~(a*)*\1\1b`, `metadata.env~(.*)(.*)(.*)\1\2\3z`,
		`metadata.env~^(.*)(.*)(.*)\1\2\3$`}
	for _, f := range append([]string{
		`metadata.env~(a|ab|b)*c`, `metadata.component~(a+)+b`, `test_id~(t|te|tes|test)*_(1|2|3)*9$`, `metadata.env~^(.+)+$`,
		`metadata.env~([ab]*[ab]*[ab]*){50}c`, `metadata.env~(a?b?){200}c`, // slow: only the timeout stops them (no commas: they separate filters)
	}, backrefs...) {
		q := url.Values{"filter": {"project_id=" + pid, f}, "pageSize": {"10"}}
		start := time.Now()
		req := httptest.NewRequest("GET", "/api/result?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+e.AdminToken)
		r := httptest.NewRecorder()
		short.Router.ServeHTTP(r, req)
		took := time.Since(start)
		codes[r.Code]++
		if strings.Contains(r.Body.String(), "statement timeout") {
			timedOut++
		}
		t.Logf("%-40s %d in %s %s", f, r.Code, took.Round(time.Millisecond), tail(r.Body.String(), 120))
		if slices.Contains(backrefs, f) && r.Code != 400 {
			t.Errorf("%s: %d, want 400 (back-references are refused)", f, r.Code)
		}
		if r.Code >= 500 || !json.Valid(r.Body.Bytes()) {
			t.Errorf("%s: %d %s", f, r.Code, r.Body)
		}
		// Several statements per request (count and page), each bounded.
		if took > 10*timeout+30*time.Second {
			t.Errorf("%s took %s with a %s statement timeout", f, took, timeout)
		}
	}
	t.Logf("answers: %v", codes)
	if timedOut == 0 {
		t.Error("no filter hit the statement timeout: the bound was not exercised")
	}
}
