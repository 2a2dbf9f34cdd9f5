package importer_test

import (
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// With the project's automatic classification rule on, an import's
// failures that match classified failures of the project are stored
// classified, in the import's transaction, and the audit trail says the
// rule did it.
func TestImportAppliesClassificationRule(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		p := e.CreateProject("rule-project", e.Admin)
		first := runOf(t, e, importFile(t, e, "surefire.xml", parsertest.ReadFile(t, "surefire.xml"), map[string]string{"project": "rule-project"}))
		failures := 0
		for _, r := range resultsOf(t, e, first.ID) {
			if r.Result != nil && fingerprint.Applies(*r.Result) {
				failures++
				if got := e.Do("PUT", "/api/result/"+r.ID.String(), map[string]any{"metadata": map[string]any{"classification": "product_failure"}}, e.AdminToken); got.Code != 200 {
					t.Fatalf("classify: %d %s", got.Code, got.Body)
				}
			}
		}
		if failures == 0 {
			t.Fatal("the fixture has no failures")
		}
		if got := e.Do("PUT", "/api/project/"+p.ID.String()+"/triage-settings", map[string]any{"auto_classify": true}, e.AdminToken); got.Code != 200 {
			t.Fatalf("settings: %d %s", got.Code, got.Body)
		}
		second := runOf(t, e, importFile(t, e, "surefire.xml", parsertest.ReadFile(t, "surefire.xml"), map[string]string{"project": "rule-project"}))
		ruled := 0
		for _, r := range resultsOf(t, e, second.ID) {
			if r.Result == nil || !fingerprint.Applies(*r.Result) {
				if r.Data["classification"] != nil {
					t.Errorf("%v %v classified", r.TestID, r.Result)
				}
				continue
			}
			if r.Data["classification"] != "product_failure" {
				t.Errorf("%v not classified by the rule: %v", r.TestID, r.Data["classification"])
			}
			h := testdb.Rows[fingerprint.HistoryRow](t, e.App.DB, "", "result_id = ?", r.ID)
			if len(h) == 1 && h[0].ByRule && h[0].UserID == nil && *h[0].NewValue == "product_failure" {
				ruled++
			}
		}
		if ruled != failures {
			t.Errorf("%d rule history rows, want %d", ruled, failures)
		}
	})
}
