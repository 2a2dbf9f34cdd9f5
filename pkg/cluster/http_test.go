package cluster_test

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// Over HTTP: the cluster form of POST /api/results/bulk-update refuses a
// cluster of a project the caller is not in (and changes nothing), and
// answers bad bodies with a 400 that says what is wrong.
func TestBulkUpdateByClusterOverHTTP(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
		e.CreateProject("theirs", e.Admin)
		run := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "theirs"}}, e.AdminToken).Map()
		for _, test := range []string{"a", "b"} {
			r := e.Do("POST", "/api/result", map[string]any{"test_id": test, "result": "failed", "run_id": run["id"],
				"metadata": map[string]any{"project": "theirs", "short_tb": "E   ValueError: bad 1\n\nt.py:3: ValueError"}}, e.AdminToken)
			if r.Code != 201 {
				t.Fatalf("result: %d %s", r.Code, r.Body)
			}
		}
		clusters := e.Do("GET", "/api/run/"+run["id"].(string)+"/clusters", nil, e.AdminToken).Map()["clusters"].([]any)
		hash := clusters[0].(map[string]any)["fingerprint"].(string)
		if got := e.Do("GET", "/api/run/"+run["id"].(string)+"/clusters", nil, e.UserToken); got.Code != 403 {
			t.Errorf("outsider reads clusters: %d %s", got.Code, got.Body)
		}
		body := map[string]any{"cluster": map[string]any{"run_id": run["id"], "fingerprint": hash}, "metadata": map[string]any{"classification": "x"}}
		if got := e.Do("POST", "/api/results/bulk-update", body, e.UserToken); got.Code != 403 {
			t.Errorf("outsider classifies: %d %s", got.Code, got.Body)
		}
		var stored []model.Result
		if err := e.App.DB.Gorm.Where("run_id = ?", run["id"]).Find(&stored).Error; err != nil || len(stored) != 2 {
			t.Fatalf("%d results, %v", len(stored), err)
		}
		for _, r := range stored {
			if _, ok := r.Data["classification"]; ok {
				t.Errorf("result %s classified by an outsider", r.ID)
			}
		}
		for want, bad := range map[string]map[string]any{
			"give one of ids, filter or cluster": {"ids": []any{}, "cluster": body["cluster"], "metadata": body["metadata"]},
			"cluster must be an object":          {"cluster": "x", "metadata": body["metadata"]},
			"cluster.run_id must be a run id":    {"cluster": map[string]any{"run_id": "nope", "fingerprint": hash}, "metadata": body["metadata"]},
			"cluster.fingerprint must be":        {"cluster": map[string]any{"run_id": run["id"]}, "metadata": body["metadata"]},
			"can only update metadata":           {"cluster": body["cluster"]},
			"metadata.project cannot be changed": {"cluster": body["cluster"], "metadata": map[string]any{"project": "x"}},
		} {
			got := e.Do("POST", "/api/results/bulk-update", bad, e.AdminToken)
			if got.Code != 400 || !strings.Contains(got.Body.String(), want) {
				t.Errorf("%v: %d %s, want 400 %q", bad, got.Code, got.Body, want)
			}
		}
		got := e.Do("POST", "/api/results/bulk-update", body, e.AdminToken)
		if got.Code != 200 || got.Map()["updated"] != float64(2) {
			t.Fatalf("owner classifies: %d %s", got.Code, got.Body)
		}
		// A later run with the same failure: its cluster is known, and the
		// answer is what the spec says.
		later := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "theirs"}}, e.AdminToken).Map()
		e.Do("POST", "/api/result", map[string]any{"test_id": "c", "result": "error", "run_id": later["id"],
			"metadata": map[string]any{"project": "theirs", "short_tb": "E   ValueError: bad 2\n\nt.py:9: ValueError"}}, e.AdminToken)
		path := "/api/run/" + later["id"].(string) + "/clusters"
		got = e.Do("GET", path, nil, e.AdminToken)
		e.CheckSpec("GET", path, e.AdminToken, got)
		c := got.Map()["clusters"].([]any)[0].(map[string]any)
		if c["status"] != "known" || c["known"].(map[string]any)["classification"] != "x" || c["fingerprint"] != hash {
			t.Errorf("later run's cluster: %v", c)
		}
		var rows []fingerprint.Row
		e.App.DB.Gorm.Where("run_id = ?", run["id"]).Find(&rows)
		if len(rows) != 2 {
			t.Errorf("%d fingerprint rows, want 2", len(rows))
		}
	}
}
