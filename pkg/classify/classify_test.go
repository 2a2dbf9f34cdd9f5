package classify_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

const tb = "E   ConnectionError: GET /api/orders failed after 30s\n\ntests/test_orders.py:12: ConnectionError"

// world is one project "mine" owned by owner with member, a project
// "theirs" owned by other, and a run in each.
type world struct {
	*backendtest.Env
	owner, member, other string
	ownerID              string
	mine, theirs         string // project ids
	runMine, runTheirs   string
}

func newWorld(t *testing.T, sqlite bool) *world {
	e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
	w := &world{Env: e}
	owner := e.CreateUser("owner@example.com", "pw", false)
	member := e.CreateUser("member@example.com", "pw", false)
	other := e.CreateUser("other@example.com", "pw", false)
	w.owner, w.member, w.other, w.ownerID = e.TokenFor(owner), e.TokenFor(member), e.TokenFor(other), owner.ID.String()
	w.mine = w.ok(t, e.Do("POST", "/api/project", map[string]any{"name": "mine"}, w.owner))["id"].(string)
	w.ok(t, e.Do("PUT", "/api/project/"+w.mine, map[string]any{"users": []string{"member@example.com"}}, w.owner))
	w.theirs = w.ok(t, e.Do("POST", "/api/project", map[string]any{"name": "theirs"}, w.other))["id"].(string)
	w.runMine = w.newRun(t, "mine", w.owner)
	w.runTheirs = w.newRun(t, "theirs", w.other)
	return w
}

func (w *world) ok(t *testing.T, r *backendtest.Response) map[string]any {
	t.Helper()
	if r.Code/100 != 2 {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	return r.Map()
}

func (w *world) newRun(t *testing.T, project, token string) string {
	return w.ok(t, w.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": project}}, token))["id"].(string)
}

func (w *world) fail(t *testing.T, project, run, token, test, trace string, md map[string]any) map[string]any {
	t.Helper()
	m := map[string]any{"project": project, "short_tb": trace}
	for k, v := range md {
		m[k] = v
	}
	return w.ok(t, w.Do("POST", "/api/result", map[string]any{"test_id": test, "result": "failed", "run_id": run, "metadata": m}, token))
}

func (w *world) get(t *testing.T, id, token string) map[string]any {
	return w.ok(t, w.Do("GET", "/api/result/"+id, nil, token))
}

func classOf(r map[string]any) any { return r["metadata"].(map[string]any)["classification"] }

func (w *world) history(t *testing.T, id string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, c := range w.ok(t, w.Do("GET", "/api/result/"+id+"/classification-history", nil, w.owner))["changes"].([]any) {
		out = append(out, c.(map[string]any))
	}
	return out
}

func historyRows(t *testing.T, e *backendtest.Env, resultID string) int64 {
	var n int64
	if err := e.App.DB.Gorm.Model(&fingerprint.HistoryRow{}).Where("result_id = ?", resultID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A failure whose fingerprint other results of its project were classified
// with is suggested their classification, on GET /result/{id} and in the
// list; it is marked known or new; a classified result and a result of
// another project get no suggestion from it.
func TestSuggestedClassification(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		w := newWorld(t, sqlite)
		first := w.fail(t, "mine", w.runMine, w.owner, "t1", tb, nil)
		// The same failure in the other project, classified differently: it
		// must not leak into mine.
		foreign := w.fail(t, "theirs", w.runTheirs, w.other, "t1", tb, map[string]any{"classification": "test_failure"})
		w.fail(t, "theirs", w.runTheirs, w.other, "t2", tb, map[string]any{"classification": "test_failure"})
		w.ok(t, w.Do("PUT", "/api/result/"+first["id"].(string), map[string]any{"metadata": map[string]any{"classification": "environment_failure"}}, w.member))

		run2 := w.newRun(t, "mine", w.owner)
		again := w.fail(t, "mine", run2, w.owner, "t1", tb, nil)
		other := w.fail(t, "mine", run2, w.owner, "t9", "E   KeyError: 'x'\n\nt.py:3: KeyError", nil)

		got := w.get(t, again["id"].(string), w.member)
		s, _ := got["suggested_classification"].(map[string]any)
		if s == nil || s["classification"] != "environment_failure" || s["based_on"] != float64(1) || s["fingerprint"] == "" {
			t.Fatalf("suggestion: %v", got["suggested_classification"])
		}
		if fc, _ := got["failure_cluster"].(map[string]any); fc == nil || fc["status"] != "known" || fc["fingerprint"] != s["fingerprint"] {
			t.Errorf("failure_cluster: %v", got["failure_cluster"])
		}
		if g := w.get(t, other["id"].(string), w.owner); g["suggested_classification"] != nil || g["failure_cluster"].(map[string]any)["status"] != "new" {
			t.Errorf("unrelated failure: %v %v", g["suggested_classification"], g["failure_cluster"])
		}
		if g := w.get(t, first["id"].(string), w.owner); g["suggested_classification"] != nil {
			t.Errorf("a classified result is suggested %v", g["suggested_classification"])
		}
		// The other project sees only its own classification.
		if g := w.get(t, foreign["id"].(string), w.other); g["suggested_classification"] != nil {
			t.Errorf("foreign classified result suggested %v", g["suggested_classification"])
		}
		list := w.ok(t, w.Do("GET", "/api/result?filter=run_id="+run2, nil, w.owner))["results"].([]any)
		suggested := 0
		for _, x := range list {
			if m := x.(map[string]any); m["suggested_classification"] != nil {
				suggested++
				if m["id"] != again["id"] {
					t.Errorf("list suggests for %v", m["id"])
				}
			}
		}
		if suggested != 1 {
			t.Errorf("%d suggestions in the list, want 1", suggested)
		}
		// The run's cluster suggests it too, until accepted for the cluster.
		clusterSuggestion := func() any {
			for _, c := range w.ok(t, w.Do("GET", "/api/run/"+run2+"/clusters", nil, w.owner))["clusters"].([]any) {
				if m := c.(map[string]any); m["fingerprint"] == s["fingerprint"] {
					return m["suggested_classification"]
				}
			}
			t.Fatal("cluster not found")
			return nil
		}
		if got := clusterSuggestion(); got != "environment_failure" {
			t.Errorf("cluster suggests %v", got)
		}
		w.ok(t, w.Do("POST", "/api/results/bulk-update", map[string]any{"cluster": map[string]any{"run_id": run2, "fingerprint": s["fingerprint"]},
			"metadata": map[string]any{"classification": "environment_failure"}}, w.member))
		if got := clusterSuggestion(); got != nil {
			t.Errorf("accepted cluster still suggests %v", got)
		}
		if g := w.get(t, again["id"].(string), w.owner); g["suggested_classification"] != nil || classOf(g) != "environment_failure" {
			t.Errorf("accepted: %v %v", g["suggested_classification"], g["metadata"])
		}
		// A passing result has neither key (upstream's shape).
		pass := w.ok(t, w.Do("POST", "/api/result", map[string]any{"test_id": "p", "result": "passed", "run_id": run2, "metadata": map[string]any{"project": "mine"}}, w.owner))
		if g := w.get(t, pass["id"].(string), w.owner); g["failure_cluster"] != nil || g["suggested_classification"] != nil {
			t.Errorf("passed result has triage keys: %v", g)
		}
	}
}

// With the project's rule on, a new failure matching classified results
// is stored classified, and the audit trail says the rule did it; with it
// off (the default) nothing is written. Classifications of another project
// never apply.
func TestAutomaticClassificationRule(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		w := newWorld(t, sqlite)
		w.fail(t, "theirs", w.runTheirs, w.other, "t1", tb, map[string]any{"classification": "test_failure"})
		off := w.fail(t, "mine", w.runMine, w.owner, "t1", tb, nil)
		if classOf(off) != nil {
			t.Fatalf("rule off, yet classified: %v", off["metadata"])
		}
		settings := w.ok(t, w.Do("GET", "/api/project/"+w.mine+"/triage-settings", nil, w.member))
		if settings["auto_classify"] != false {
			t.Fatalf("default settings: %v", settings)
		}
		w.ok(t, w.Do("PUT", "/api/project/"+w.mine+"/triage-settings", map[string]any{"auto_classify": true}, w.owner))
		// Only the other project has a classification for it: nothing.
		if r := w.fail(t, "mine", w.runMine, w.owner, "t2", tb, nil); classOf(r) != nil {
			t.Fatalf("classified from another project: %v", r["metadata"])
		}
		w.ok(t, w.Do("PUT", "/api/result/"+off["id"].(string), map[string]any{"metadata": map[string]any{"classification": "product_failure"}}, w.owner))
		run2 := w.newRun(t, "mine", w.owner)
		auto := w.fail(t, "mine", run2, w.owner, "t1", tb, nil)
		if classOf(auto) != "product_failure" {
			t.Fatalf("rule did not classify: %v", auto["metadata"])
		}
		var stored model.Result
		if err := w.App.DB.Gorm.Where("id = ?", auto["id"]).Take(&stored).Error; err != nil || stored.Data["classification"] != "product_failure" {
			t.Fatalf("stored: %v %v", stored.Data, err)
		}
		h := w.history(t, auto["id"].(string))
		if len(h) != 1 || h[0]["by"] != "rule" || h[0]["new"] != "product_failure" || h[0]["old"] != nil || h[0]["user_id"] != nil || h[0]["fingerprint"] == nil {
			t.Errorf("history: %v", h)
		}
		// A result sent classified keeps its own classification.
		if r := w.fail(t, "mine", run2, w.owner, "t3", tb, map[string]any{"classification": "needs_triage"}); classOf(r) != "needs_triage" {
			t.Errorf("rule overrode the sent classification: %v", r["metadata"])
		}
		// Off again: nothing more is classified.
		w.ok(t, w.Do("PUT", "/api/project/"+w.mine+"/triage-settings", map[string]any{"auto_classify": false}, w.owner))
		if r := w.fail(t, "mine", run2, w.owner, "t4", tb, nil); classOf(r) != nil {
			t.Errorf("rule off, yet classified: %v", r["metadata"])
		}
	}
}

// Every classification change by a person — PUT, bulk update by ids and by
// cluster — is in the audit trail with who, old and new; a change that
// leaves the classification alone is not.
func TestClassificationHistory(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		w := newWorld(t, sqlite)
		r := w.fail(t, "mine", w.runMine, w.owner, "t1", tb, nil)
		id := r["id"].(string)
		w.ok(t, w.Do("PUT", "/api/result/"+id, map[string]any{"metadata": map[string]any{"classification": "environment_failure"}}, w.member))
		w.ok(t, w.Do("PUT", "/api/result/"+id, map[string]any{"metadata": map[string]any{"comment": "same"}}, w.member))
		w.ok(t, w.Do("POST", "/api/results/bulk-update", map[string]any{"ids": []string{id}, "metadata": map[string]any{"classification": "product_failure"}}, w.owner))
		hash := w.get(t, id, w.owner)["failure_cluster"].(map[string]any)["fingerprint"]
		w.ok(t, w.Do("POST", "/api/results/bulk-update", map[string]any{"cluster": map[string]any{"run_id": w.runMine, "fingerprint": hash}, "metadata": map[string]any{"classification": "test_failure"}}, w.owner))
		h := w.history(t, id)
		if len(h) != 3 {
			t.Fatalf("history: %v", h)
		}
		want := [][2]any{{"product_failure", "test_failure"}, {"environment_failure", "product_failure"}, {nil, "environment_failure"}}
		for i, c := range h {
			if c["old"] != want[i][0] || c["new"] != want[i][1] || c["by"] != "user" || c["user_id"] == nil || c["changed_at"] == "" {
				t.Errorf("change %d: %v", i, c)
			}
		}
		if h[0]["user_id"] != w.ownerID {
			t.Errorf("newest change by %v, want the owner", h[0]["user_id"])
		}
		// Tenancy as the result's: another project's user gets a 403.
		if got := w.Do("GET", "/api/result/"+id+"/classification-history", nil, w.other); got.Code != http.StatusForbidden {
			t.Errorf("outsider reads history: %d %s", got.Code, got.Body)
		}
		if got := w.Do("GET", "/api/result/00000000-0000-0000-0000-000000000000/classification-history", nil, w.owner); got.Code != http.StatusNotFound {
			t.Errorf("unknown result: %d %s", got.Code, got.Body)
		}
		if got := w.Do("GET", "/api/result/nope/classification-history", nil, w.owner); got.Code != http.StatusBadRequest {
			t.Errorf("bad id: %d %s", got.Code, got.Body)
		}
	}
}

// Foreign ids on every write path: another project's user cannot switch
// the rule on, nor classify (so no history, no classification row) by PUT,
// bulk ids or cluster; a member who is not the owner cannot change the
// rule. The database is checked afterwards.
func TestForeignWritesChangeNothing(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		w := newWorld(t, sqlite)
		ctx := context.Background()
		r := w.fail(t, "mine", w.runMine, w.owner, "t1", tb, nil)
		id := r["id"].(string)
		for _, token := range []string{w.other, w.member} {
			if got := w.Do("PUT", "/api/project/"+w.mine+"/triage-settings", map[string]any{"auto_classify": true}, token); got.Code != http.StatusForbidden {
				t.Errorf("settings by non-owner: %d %s", got.Code, got.Body)
			}
		}
		var n int64
		if err := w.App.DB.Conn(ctx).Model(&fingerprint.SettingsRow{}).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("settings rows after refused writes: %d %v", n, err)
		}
		if got := w.Do("GET", "/api/project/"+w.mine+"/triage-settings", nil, w.other); got.Code != http.StatusForbidden {
			t.Errorf("outsider reads settings: %d %s", got.Code, got.Body)
		}
		md := map[string]any{"classification": "test_failure"}
		hash := w.get(t, id, w.owner)["failure_cluster"].(map[string]any)["fingerprint"]
		for what, req := range map[string][3]any{
			"put":     {"PUT", "/api/result/" + id, map[string]any{"metadata": md}},
			"bulk":    {"POST", "/api/results/bulk-update", map[string]any{"ids": []string{id}, "metadata": md}},
			"cluster": {"POST", "/api/results/bulk-update", map[string]any{"cluster": map[string]any{"run_id": w.runMine, "fingerprint": hash}, "metadata": md}},
		} {
			if got := w.Do(req[0].(string), req[1].(string), req[2], w.other); got.Code != http.StatusForbidden {
				t.Errorf("%s by outsider: %d %s", what, got.Code, got.Body)
			}
		}
		if n := historyRows(t, w.Env, id); n != 0 {
			t.Errorf("%d history rows after refused writes", n)
		}
		if err := w.App.DB.Conn(ctx).Model(&fingerprint.ClassRow{}).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("classification rows after refused writes: %d %v", n, err)
		}
		var stored model.Result
		if err := w.App.DB.Gorm.Where("id = ?", id).Take(&stored).Error; err != nil || stored.Data["classification"] != nil {
			t.Errorf("stored: %v %v", stored.Data, err)
		}
		// Bad bodies and ids: clear 4xx.
		for body, want := range map[string]int{`{"auto_classify": "yes"}`: 400, `{}`: 400, `[]`: 400, `nope`: 400} {
			if got := w.Do("PUT", "/api/project/"+w.mine+"/triage-settings", body, w.owner); got.Code != want {
				t.Errorf("body %s: %d %s", body, got.Code, got.Body)
			}
		}
		if got := w.Do("PUT", "/api/project/00000000-0000-0000-0000-000000000000/triage-settings", map[string]any{"auto_classify": true}, w.AdminToken); got.Code != http.StatusNotFound {
			t.Errorf("unknown project: %d %s", got.Code, got.Body)
		}
	}
}
