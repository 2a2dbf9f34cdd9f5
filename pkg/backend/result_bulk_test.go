package backend_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestResultBulkUpdate covers POST /api/results/bulk-update on both
// databases: the deep merge, the order of the answer, all-or-nothing 403
// and 404, and every 400.
func TestResultBulkUpdate(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		newResult := func(project, token string) string {
			t.Helper()
			r := e.Do("POST", "/api/result", map[string]any{"test_id": "t", "result": "failed",
				"metadata": map[string]any{"project": project, "env": "qa", "nested": map[string]any{"b": 2}, "keep": "me"}}, token)
			if r.Code != 201 {
				t.Fatalf("create result: %d %s", r.Code, r.Body)
			}
			return r.Map()["id"].(string)
		}
		r1, r2, r3 := newResult(e.p1, e.UserToken), newResult(e.p1, e.UserToken), newResult(e.p1, e.UserToken)
		foreign := newResult(e.p2, e.AdminToken)
		classification := func(id string) any {
			t.Helper()
			return e.Do("GET", "/api/result/"+id, nil, e.AdminToken).Map()["metadata"].(map[string]any)["classification"]
		}
		bulk := func(body any, token string) (int, string, map[string]any) {
			t.Helper()
			r := e.Do("POST", "/api/results/bulk-update", body, token)
			e.CheckSpec("POST", "/api/results/bulk-update", token, r)
			var m map[string]any
			if r.Code == 200 {
				m = r.Map()
			}
			return r.Code, r.Body.String(), m
		}

		// A member classifies two results (one listed twice) in one call.
		code, body, m := bulk(map[string]any{"ids": []any{r2, r1, r2},
			"metadata": map[string]any{"classification": "product_failure", "nested": map[string]any{"a": 1}, "keep": nil, "env": "prod"}}, e.UserToken)
		if code != 200 {
			t.Fatalf("bulk update: %d %s", code, body)
		}
		if m["updated"] != float64(2) {
			t.Fatalf("updated = %v, want 2", m["updated"])
		}
		rs := m["results"].([]any)
		if len(rs) != 2 || rs[0].(map[string]any)["id"] != r2 || rs[1].(map[string]any)["id"] != r1 {
			t.Fatalf("results not in the order of ids: %v", rs)
		}
		got := e.Do("GET", "/api/result/"+r1, nil, e.UserToken).Map()
		md := got["metadata"].(map[string]any)
		if md["classification"] != "product_failure" || md["keep"] != "me" || fmt.Sprint(md["nested"]) != "map[a:1 b:2]" {
			t.Fatalf("metadata not deep-merged: %v", md)
		}
		if got["env"] != "prod" {
			t.Fatalf("env not re-derived from metadata: %v", got["env"])
		}
		if classification(r3) != nil {
			t.Fatalf("r3 changed")
		}

		// All or nothing: a result of a project the user cannot see.
		if code, body, _ := bulk(map[string]any{"ids": []any{r3, foreign}, "metadata": map[string]any{"classification": "test_failure"}}, e.UserToken); code != 403 || !strings.Contains(body, "Forbidden") {
			t.Fatalf("outsider: %d %s", code, body)
		}
		if classification(r3) != nil || classification(foreign) != nil {
			t.Fatalf("a refused bulk update changed results")
		}
		// The superadmin may change both.
		if code, body, _ := bulk(map[string]any{"ids": []any{r3, foreign}, "metadata": map[string]any{"classification": "test_failure"}}, e.AdminToken); code != 200 {
			t.Fatalf("superadmin: %d %s", code, body)
		}
		if classification(r3) != "test_failure" || classification(foreign) != "test_failure" {
			t.Fatalf("superadmin bulk update not applied")
		}

		// An unknown id: 404, nothing changed.
		missing := uuid.NewString()
		if code, body, _ := bulk(map[string]any{"ids": []any{r1, missing}, "metadata": map[string]any{"classification": "unknown"}}, e.UserToken); code != 404 || !strings.Contains(body, missing) {
			t.Fatalf("unknown id: %d %s", code, body)
		}
		if classification(r1) != "product_failure" {
			t.Fatalf("a failed bulk update changed r1")
		}

		// Bad bodies.
		tooMany := make([]any, 501)
		for i := range tooMany {
			tooMany[i] = uuid.NewString()
		}
		for _, c := range []struct {
			name string
			body any
			want string
		}{
			{"not JSON", "[1, 2", "not valid JSON"},
			{"no ids", map[string]any{"metadata": map[string]any{"x": 1}}, "ids must be a non-empty array"},
			{"empty ids", map[string]any{"ids": []any{}, "metadata": map[string]any{"x": 1}}, "ids must be a non-empty array"},
			{"ids not an array", map[string]any{"ids": r1, "metadata": map[string]any{"x": 1}}, "ids must be a non-empty array"},
			{"bad id", map[string]any{"ids": []any{"nope"}, "metadata": map[string]any{"x": 1}}, "ID: nope is not a valid UUID"},
			{"number id", map[string]any{"ids": []any{7}, "metadata": map[string]any{"x": 1}}, "is not a valid UUID"},
			{"too many", map[string]any{"ids": tooMany, "metadata": map[string]any{"x": 1}}, "more than 500 results"},
			{"no metadata", map[string]any{"ids": []any{r1}}, "can only update metadata"},
			{"empty metadata", map[string]any{"ids": []any{r1}, "metadata": map[string]any{}}, "can only update metadata"},
			{"metadata not an object", map[string]any{"ids": []any{r1}, "metadata": "x"}, "can only update metadata"},
			{"project move", map[string]any{"ids": []any{r1}, "metadata": map[string]any{"project": e.p2}}, "cannot be changed in bulk"},
		} {
			if code, body, _ := bulk(c.body, e.UserToken); code != 400 || !strings.Contains(body, c.want) {
				t.Errorf("%s: %d %s, want 400 with %q", c.name, code, body, c.want)
			}
		}
		if r := e.Do("POST", "/api/results/bulk-update", "x=1", e.UserToken, "Content-Type", "text/plain"); r.Code != 400 || !strings.Contains(r.Body.String(), "Bad Request JSON required") {
			t.Errorf("non-JSON content type: %d %s", r.Code, r.Body)
		}
		// 500 ids are allowed (they are unknown here, so 404).
		if code, body, _ := bulk(map[string]any{"ids": tooMany[:500], "metadata": map[string]any{"x": 1}}, e.UserToken); code != 404 {
			t.Errorf("500 ids: %d %s", code, body)
		}
		if r := e.Do("POST", "/api/results/bulk-update", map[string]any{"ids": []any{r1}, "metadata": map[string]any{"x": 1}}, ""); r.Code != 401 {
			t.Errorf("anonymous: %d", r.Code)
		}
	})
}
