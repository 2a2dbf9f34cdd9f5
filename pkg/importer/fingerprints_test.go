package importer_test

import (
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// An import fingerprints its failures and errors in its own transaction,
// so the run's clusters are there as soon as the import is done.
func TestJUnitImportFingerprintsFailures(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		e.CreateProject("my-project", e.Admin)
		imp := importFile(t, e, "surefire.xml", parsertest.ReadFile(t, "surefire.xml"), map[string]string{"project": "my-project"})
		r := runOf(t, e, imp)
		failures := 0
		for _, x := range resultsOf(t, e, r.ID) {
			if x.Result != nil && fingerprint.Applies(*x.Result) {
				failures++
			}
		}
		rows := testdb.Rows[fingerprint.Row](t, e.App.DB, "", "run_id = ?", r.ID)
		if failures == 0 || len(rows) != failures {
			t.Fatalf("%d fingerprints for %d failures", len(rows), failures)
		}
		for _, row := range rows {
			if row.ProjectID == nil || *row.ProjectID != *r.ProjectID || row.Normalised == "" {
				t.Errorf("row %+v", row)
			}
		}
		resp := e.Do("GET", "/api/run/"+r.ID.String()+"/clusters", nil, e.AdminToken)
		if resp.Code != 200 {
			t.Fatalf("clusters: %d %s", resp.Code, resp.Body)
		}
		if n := resp.Map()["failures"]; n != float64(failures) {
			t.Errorf("clusters count %v failures, want %d: %s", n, failures, resp.Body)
		}
	})
}
