package importer_test

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestArchiveWithHugeNumbersIsRefused: run.json or result.json holding a
// number no float64 holds ends the import in error and stores nothing, so
// no unreadable row can come from an import (issue 17, finding 1). The
// importer's decoder refuses such numbers itself; this guards that.
func TestArchiveWithHugeNumbersIsRefused(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		e.CreateProject("p", e.Admin)
		for name, files := range map[string][][2]string{
			"run.json": {{runR + "/run.json", `{"id":"` + runR + `","metadata":{"project":"p"},"summary":{"collected":1e400}}`}},
			"result.json": {
				{runR + "/run.json", `{"id":"` + runR + `","metadata":{"project":"p"}}`},
				{runR + "/" + resA + "/result.json", `{"id":"` + resA + `","test_id":"t","result":"passed","metadata":{"project":"p","n":-1e400}}`},
			},
		} {
			imp := importFile(t, e, "a.tar.gz", backendtest.TarGz(t, files...), map[string]string{"project": "p"})
			md, _ := imp["metadata"].(map[string]any)
			if msg, _ := md["error"].(string); imp["status"] != "error" || !strings.Contains(msg, "1e400") {
				t.Errorf("%s with 1e400: import %v", name, imp)
			}
			if n := count(t, e, "runs") + count(t, e, "results"); n != 0 {
				t.Errorf("%s with 1e400: %d rows stored", name, n)
			}
		}
	})
}
