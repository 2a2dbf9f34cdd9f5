package importer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

const (
	runR = "11111111-1111-4111-8111-111111111111"
	resA = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
	resB = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
	resC = "cccccccc-cccc-4ccc-8ccc-cccccccccccc"
)

// fx08 is the FX-08 archive; the traceback of B comes before its result.json.
func fx08(t testing.TB) []byte {
	res := func(id, status, testID string, dur float64, sec int, md string) string {
		return fmt.Sprintf(`{"id":%q,"result":%q,"test_id":%q,"duration":%v,"start_time":"2024-06-01T12:00:0%d+00:00","env":"top-env-ignored","component":"top-comp-ignored","params":{},"source":"archive-src","run_id":%q,"metadata":%s}`,
			id, status, testID, dur, sec, runR, md)
	}
	return backendtest.TarGz(t,
		[2]string{runR + "/run.json", `{"id":"` + runR + `","component":"comp-top","env":"env-top","source":"archive-src","start_time":"2024-06-01T12:00:00+00:00","duration":99.0,"metadata":{"project":"my-project","env":"stage","jenkins":{"job_name":"J","build_number":"5"}},"summary":{"failures":1,"errors":0,"xfailures":0,"xpasses":0,"skips":1,"tests":3,"collected":4,"not_run":1}}`},
		[2]string{runR + "/console.log", "console"},
		[2]string{runR + "/" + resA + "/result.json", res(resA, "passed", "test_a", 1.0, 1, `{"run":"`+runR+`","fspath":"tests/test_x.py","env":"stage","component":"comp-a"}`)},
		[2]string{runR + "/" + resB + "/traceback.log", "tb"},
		[2]string{runR + "/" + resB + "/result.json", res(resB, "failed", "test_b", 2.0, 2, `{"run":"`+runR+`","fspath":"tests/test_x.py","user_properties":{"owner":"alice"}}`)},
		[2]string{runR + "/" + resB + "/screenshot.png", "\x89PNG"},
		[2]string{runR + "/" + resC + "/result.json", res(resC, "skipped", "test_c", 0.5, 3, `{"run":"`+runR+`","fspath":"tests/test_y.py","skip_reason":"no db"}`)},
	)
}

func TestArchiveImport(t *testing.T) {
	dialects(t, backendtest.Options{Configure: func(c *config.Config) { c.Limits.ArchiveMaxBytes = 1 << 20; c.Limits.ArchiveMaxEntries = 50 }},
		func(t *testing.T, e *backendtest.Env) {
			p := e.CreateProject("my-project", e.Admin)
			wantSummary := "map[collected:4 errors:0 failures:1 not_run:1 pass_percent:33 passes:1 skips:1 tests:3 xfailures:0 xpasses:0]"
			check := func(t *testing.T, imp map[string]any) {
				r := runOf(t, e, imp)
				if r.ID.String() != runR || *r.ProjectID != p.ID || str(r.Env) != "stage" || str(r.Component) != "comp-top" || str(r.Source) != "archive-src" {
					t.Errorf("run %+v", r)
				}
				if fmt.Sprint(map[string]any(r.Summary)) != wantSummary || *r.Duration != 3.5 || r.StartTime.Format("15:04:05") != "12:00:00" {
					t.Errorf("summary %v duration %v", r.Summary, *r.Duration)
				}
				rs := resultsOf(t, e, r.ID)
				if len(rs) != 3 || rs[0].ID.String() != resA || str(rs[0].Env) != "stage" || str(rs[0].Component) != "comp-a" ||
					rs[1].Env != nil || rs[1].Data["owner"] != "alice" || rs[1].Data["user_properties"] != nil || *rs[2].ProjectID != p.ID {
					t.Errorf("results %+v", rs)
				}
				var arts []model.Artifact
				e.App.DB.Gorm.Order("filename").Find(&arts)
				var names []string
				for _, a := range arts {
					names = append(names, *a.Filename)
				}
				if strings.Join(names, ",") != "console.log,screenshot.png,traceback.log" || arts[0].Data["runId"] != runR || arts[2].Data["resultId"] != resB {
					t.Errorf("artifacts %v %v", names, arts)
				}
			}
			imp := importFile(t, e, "run.tar.gz", fx08(t), map[string]string{"project": "my-project"})
			check(t, imp)
			// Idempotent: the same archive again changes nothing.
			imp = importFile(t, e, "run.tar.gz", fx08(t), map[string]string{"project": "my-project"})
			check(t, imp)
			if count(t, e, "results") != 3 || count(t, e, "runs") != 1 || count(t, e, "artifacts") != 3 {
				t.Errorf("re-import duplicated rows")
			}

			t.Run("no run.json: the directory names the run", func(t *testing.T) {
				run2, res2 := "22222222-2222-4222-8222-222222222222", "dddddddd-dddd-4ddd-8ddd-dddddddddddd"
				imp := importFile(t, e, "x.tar.gz", backendtest.TarGz(t, [2]string{"./" + run2 + "/" + res2 + "/result.json",
					`{"id":"` + res2 + `","result":"passed","test_id":"t","duration":2,"start_time":"2024-06-02T00:00:00"}`}), nil)
				r := runOf(t, e, imp)
				if r.ID.String() != run2 || r.Summary["tests"] != float64(1) || r.StartTime.Format("2006-01-02") != "2024-06-02" {
					t.Errorf("run %+v", r)
				}
			})

			t.Run("bad archives fail and import nothing", func(t *testing.T) {
				big := strings.Repeat("z", 700<<10)
				for name, tc := range map[string]struct {
					data []byte
					want string
				}{
					"tar slip":   {backendtest.TarGz(t, [2]string{runR + "/../../etc/cron.d/x", "x"}), "unsafe member name"},
					"bad result": {backendtest.TarGz(t, [2]string{runR + "/not-a-uuid/result.json", "{}"}), "Invalid result ID not-a-uuid"},
					"too deep":   {backendtest.TarGz(t, [2]string{runR + "/" + resA + "/sub/file.txt", "x"}), "nested deeper"},
					"bad json":   {backendtest.TarGz(t, [2]string{runR + "/run.json", "{"}), "not a JSON object"},
					"two runs":   {backendtest.TarGz(t, [2]string{runR + "/a.log", "x"}, [2]string{resA + "/b.log", "x"}), "more than one run"},
					"bomb":       {backendtest.TarGz(t, [2]string{runR + "/a.log", big}, [2]string{runR + "/b.log", big}), "bytes once decompressed"},
					"not a tar":  {[]byte("hello"), "invalid archive"},
				} {
					runs, results, arts := count(t, e, "runs"), count(t, e, "results"), count(t, e, "artifacts")
					imp := importFile(t, e, name+".tar.gz", tc.data, nil)
					msg := fmt.Sprint(imp["metadata"].(map[string]any)["error"])
					if imp["status"] != "error" || !strings.Contains(msg, tc.want) {
						t.Errorf("%s: %v", name, imp)
					}
					if count(t, e, "runs") != runs || count(t, e, "results") != results || count(t, e, "artifacts") != arts {
						t.Errorf("%s left rows behind", name)
					}
				}
			})
		})
}
