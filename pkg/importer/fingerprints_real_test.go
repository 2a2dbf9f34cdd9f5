package importer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// importedWant pins the normalised text of every failure of the real JUnit
// XML reports in pkg/fingerprint/testdata (made by its gen/gen.sh: the same
// failing tests as the console traces pinned there, reported by pytest
// --junitxml, by Ant's JUnit task for Java and by go-junit-report for Go),
// as an import fingerprints them: from the short_tb and exception_name it
// fills in from the <failure>/<error> element (docs/triage.md).
var importedWant = map[string]string{
	// pytest writes no type attribute; a bare assert's message names none.
	"pytest/test_sample.test_assert_dict": "-\nassert <n> == <n>",
	"pytest/test_sample.test_connection":  "ConnectionError\nGET /api/run/<n> failed: request <uuid> timed out after <n>s at <hex>",
	"pytest/test_sample.test_tempfile":    "FileNotFoundError\n[Errno <n>] No such file or directory: '<tmp>/missing/conf.json'",
	"pytest/test_sample.test_json":        "JSONDecodeError\nExpecting property name enclosed in double quotes: line <n> column <n> (char <n>)",
	"ant/SampleTest.nullName":             "NullPointerException\nCannot invoke \"String.length()\" because \"name\" is null",
	"ant/SampleTest.statusIsOk":           "AssertionFailedError\nstatus of request <uuid> expected:<<n>> but was:<<n>>",
	// go-junit-report (and gotestsum) write message="Failed" on every
	// failure: the element's text is the failure, as in the console output.
	"go/sample.TestStatus": "-\nGET /api/run/<n>: status = <n>, want <n> (at <time>)\nat sample_test.go",
	// A panic's output is in the suite's <system-out>, not the test's
	// <failure>: nothing but the placeholder is known of it.
	"go/sample.TestPanic": "-\nFailed",
}

// TestImportFingerprintsOfRealReports imports each real report twice (two
// runs of the same failing tests: ids, addresses, times and temp paths
// differ) and checks that each failure gets the same fingerprint in both,
// that different failures get different ones, and the pinned texts.
func TestImportFingerprintsOfRealReports(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	e.CreateProject("real-reports", e.Admin)
	seen := map[string]string{}
	for _, suite := range []struct{ name, file string }{
		{"pytest", "pytest-run%d.xml"}, {"ant", "ant-junit4-run%d.xml"}, {"go", "go-junit-report-run%d.xml"},
	} {
		var runs [2]map[string]fingerprint.Row
		for i := range runs {
			name := strings.Replace(suite.file, "%d", string(rune('1'+i)), 1)
			b, err := os.ReadFile(filepath.Join("..", "fingerprint", "testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			r := runOf(t, e, importFile(t, e, name, b, map[string]string{"project": "real-reports"}))
			byResult := map[string]fingerprint.Row{}
			for _, row := range testdb.Rows[fingerprint.Row](t, e.App.DB, "", "run_id = ?", r.ID) {
				byResult[row.ResultID.String()] = row
			}
			runs[i] = map[string]fingerprint.Row{}
			for _, res := range resultsOf(t, e, r.ID) {
				if row, ok := byResult[res.ID.String()]; ok {
					runs[i][suite.name+"/"+*res.TestID] = row
				}
			}
			if len(runs[i]) < 2 {
				t.Fatalf("%s: %d fingerprinted failures", name, len(runs[i]))
			}
		}
		for key, a := range runs[0] {
			b, ok := runs[1][key]
			if !ok {
				t.Errorf("%s: not fingerprinted in the second run", key)
				continue
			}
			if a.Fingerprint != b.Fingerprint {
				t.Errorf("%s: the two runs differ:\n%s\n--- vs ---\n%s", key, a.Normalised, b.Normalised)
			}
			if other, dup := seen[a.Fingerprint]; dup {
				t.Errorf("%s and %s share a fingerprint:\n%s", key, other, a.Normalised)
			}
			seen[a.Fingerprint] = key
			if w, ok := importedWant[key]; !ok {
				t.Errorf("%s: no pinned text (got %q)", key, a.Normalised)
			} else if w != a.Normalised {
				t.Errorf("%s: normalised text\n%s\nwant\n%s", key, a.Normalised, w)
			}
		}
	}
}
