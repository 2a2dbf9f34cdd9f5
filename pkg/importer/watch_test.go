package importer_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/artifact"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// runArchive is an archive as pytest-ibutsu writes it for run id, whose
// run.json names project.
func runArchive(t *testing.T, id, res, project string) []byte {
	return backendtest.TarGz(t,
		[2]string{id + "/run.json", `{"id":"` + id + `","metadata":{"project":"` + project + `"},"summary":{"tests":1,"failures":0,"errors":0,"skips":0,"xfailures":0,"xpasses":0}}`},
		[2]string{id + "/" + res + "/result.json", `{"id":"` + res + `","result":"passed","test_id":"t","duration":1,"start_time":"2024-06-01T12:00:00+00:00","run_id":"` + id + `","metadata":{"run":"` + id + `"}}`},
		[2]string{id + "/" + res + "/log.txt", "a log"})
}

// TestS3Watcher: archives uploaded the way pytest-ibutsu's S3 mode uploads
// them (key <run-id>.tar.gz, under the watched prefix) are imported once
// per key and ETag into the bound project, with their artifacts in the
// object store; a second pass changes nothing; a bucket bound to several
// projects imports an archive into the one it names, and refuses one that
// names another project without writing anything.
func TestS3Watcher(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		t.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(t *testing.T) { testS3Watcher(t, sqlite) })
	}
}

func testS3Watcher(t *testing.T, sqlite bool) {
	cfg := testenv.S3Config(t)
	cfg.Watch = []config.WatchBinding{
		{Bucket: cfg.Bucket, Prefix: "pytest/", Projects: []string{"watched"}},
		{Bucket: cfg.Bucket, Prefix: "multi/", Projects: []string{"watched", "other"}},
	}
	e := backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) { c.ObjectStore = cfg }})
	{
		ctx := context.Background()
		watched := e.CreateProject("watched", e.Admin)
		other := e.CreateProject("other", e.Admin)
		e.CreateProject("foreign", e.Admin)
		s3, err := objstore.Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		w := e.App.Services.Watcher
		pass := func() (submitted, seen int) {
			rep, err := w.Run(ctx)
			if err != nil || len(rep.Errors) > 0 {
				t.Fatalf("watch: %+v %v", rep, err)
			}
			for _, key := range rep.Submitted {
				var id string
				if err := e.App.DB.Gorm.Table("ibutsu_s3_imports").Select("import_id").Where("bucket || '/' || key = ?", key).Scan(&id).Error; err != nil {
					t.Fatal(err)
				}
				waitImport(t, e, id)
			}
			return len(rep.Submitted), rep.Seen
		}
		run1, run2, run3 := "31111111-1111-4111-8111-111111111111", "32222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"
		for _, k := range []struct{ key, run, res, project string }{
			{"pytest/" + run1 + ".tar.gz", run1, "a1111111-1111-4111-8111-" + run1[24:], "somewhere-else"},
			{"multi/" + run2 + ".tar.gz", run2, "a2222222-2222-4222-8222-" + run2[24:], "other"},
			{"multi/" + run3 + ".tar.gz", run3, "a3333333-3333-4333-8333-" + run3[24:], "foreign"},
		} {
			b := runArchive(t, k.run, k.res, k.project)
			if _, err := s3.Bucket(cfg.Bucket, "").Put(ctx, k.key, bytes.NewReader(b), int64(len(b))); err != nil {
				t.Fatal(err)
			}
		}
		imports := count(t, e, "imports")
		if n, _ := pass(); n != 3 {
			t.Fatalf("first pass submitted %d, want 3", n)
		}
		var projectOf = func(run string) string {
			var pid *string
			e.App.DB.Gorm.Table("runs").Select("project_id").Where("id = ?", run).Scan(&pid)
			if pid == nil {
				return ""
			}
			return *pid
		}
		if got := projectOf(run1); got != watched.ID.String() {
			t.Errorf("run of the single binding in %q, want the bound project", got)
		}
		if got := projectOf(run2); got != other.ID.String() {
			t.Errorf("run naming a bound project in %q, want it", got)
		}
		if got := projectOf(run3); got != "" {
			t.Errorf("run naming a project outside the binding was written into %q", got)
		}
		var status string
		if err := e.App.DB.Gorm.Raw("SELECT status FROM imports i JOIN ibutsu_s3_imports s ON s.import_id = i.id WHERE s.key LIKE ?", "%"+run3+"%").Row().Scan(&status); err != nil {
			t.Fatal(err)
		}
		if status != "error" {
			t.Errorf("refused archive's import: %q, want error", status)
		}
		var objects int64
		e.App.DB.Gorm.Model(&artifact.ObjectRow{}).Count(&objects)
		if objects != 2 {
			t.Errorf("object rows %d, want the 2 imported artifacts", objects)
		}
		results, arts := count(t, e, "results"), count(t, e, "artifacts")
		if n, seen := pass(); n != 0 || seen < 3 {
			t.Fatalf("second pass submitted %d (seen %d), want 0", n, seen)
		}
		if count(t, e, "imports") != imports+3 || count(t, e, "results") != results || count(t, e, "artifacts") != arts {
			t.Fatal("a second pass changed rows")
		}
	}
}

// TestJUnitImportArtifactsInStore: with a store configured (threshold 0),
// the artifacts a JUnit import writes (tracebacks, captured output) go to
// the bucket like uploads: content NULL, one object row each, readable
// through the API.
func TestJUnitImportArtifactsInStore(t *testing.T) {
	cfg := testenv.S3Config(t)
	e := backendtest.New(t, backendtest.Options{Configure: func(c *config.Config) { c.ObjectStore = cfg }})
	e.CreateProject("my-project", e.Admin)
	imp := importFile(t, e, "fx02-multi.xml", parsertest.ReadFile(t, "fx02-multi.xml"), map[string]string{"project": "my-project"})
	if imp["status"] != "done" {
		t.Fatalf("import: %v", imp)
	}
	arts := count(t, e, "artifacts")
	var objects, inDB int64
	e.App.DB.Gorm.Model(&artifact.ObjectRow{}).Count(&objects)
	e.App.DB.Gorm.Table("artifacts").Where("content IS NOT NULL").Count(&inDB)
	if arts == 0 || objects != arts || inDB != 0 {
		t.Fatalf("%d artifacts, %d object rows, %d with bytes in the database", arts, objects, inDB)
	}
	var id string
	e.App.DB.Gorm.Table("artifacts").Select("id").Limit(1).Scan(&id)
	if r := e.Do("GET", "/api/artifact/"+id+"/view", nil, e.AdminToken); r.Code != 200 || r.Body.Len() == 0 {
		t.Fatalf("view: %d %q", r.Code, r.Body)
	}
}
