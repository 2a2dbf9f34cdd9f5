package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestS3WatchIsolation: whoever can write to a bucket bound to project M
// cannot reach project A through it. An archive that names A's run (by
// its directory and run.json) or holds A's result ends in error and
// writes nothing; one whose run.json names A, by name or id, lands in M,
// the binding's project. A's rows are unchanged throughout.
func TestS3WatchIsolation(t *testing.T) {
	cfg := testenv.S3Config(t)
	cfg.Watch = []config.WatchBinding{{Bucket: cfg.Bucket, Prefix: "bound-m/", Projects: []string{"proj-m"}}}
	e := backendtest.New(t, backendtest.Options{Configure: func(c *config.Config) { c.ObjectStore = cfg }})
	ctx := context.Background()
	ten := seedTenants(t, e)
	s3, err := objstore.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	own1, own2 := "41111111-1111-4111-8111-111111111111", "42222222-2222-4222-8222-222222222222"
	archives := []struct {
		name, run string
		file      []byte
		ok        bool
		names     string
	}{
		{"A's run", victimRun, backendtest.TarGz(t,
			[2]string{victimRun + "/run.json", runJSON(victimRun, `{"project":"proj-m"}`)},
			[2]string{victimRun + "/console.log", "evil"}), false, victimRun},
		{"A's result", own1, backendtest.TarGz(t,
			[2]string{own1 + "/run.json", runJSON(own1, `{"project":"proj-m"}`)},
			[2]string{own1 + "/" + victimResult + "/result.json", resultJSON(victimResult, own1)},
			[2]string{own1 + "/" + victimResult + "/traceback.log", "evil"}), false, victimResult},
		{"run.json naming A", own2, backendtest.TarGz(t,
			[2]string{own2 + "/run.json", `{"id":"` + own2 + `","project_id":"` + ten.a.ID.String() + `","metadata":{"project":"proj-a"}}`}), true, ""},
	}
	// The accepted archive adds one run (to M) and nothing else.
	runs := count(t, e, "runs")
	before := strings.Replace(victimState(t, e), fmt.Sprintf("runs=%d ", runs), fmt.Sprintf("runs=%d ", runs+1), 1)
	for _, a := range archives {
		if _, err := s3.Bucket(cfg.Bucket, "").Put(ctx, "bound-m/"+a.run+".tar.gz", bytes.NewReader(a.file), int64(len(a.file))); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := e.App.Services.Watcher.Run(ctx)
	if err != nil || len(rep.Errors) > 0 || len(rep.Submitted) != len(archives) {
		t.Fatalf("watch pass: %+v %v", rep, err)
	}
	for _, a := range archives {
		var id string
		if err := e.App.DB.Gorm.Table("ibutsu_s3_imports").Select("import_id").Where("key = ?", "bound-m/"+a.run+".tar.gz").Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		imp := waitImport(t, e, id)
		md, _ := imp["metadata"].(map[string]any)
		msg, _ := md["error"].(string)
		switch {
		case a.ok && imp["status"] != "done":
			t.Errorf("%s: %v, want done", a.name, imp)
		case !a.ok && (imp["status"] != "error" || !strings.Contains(msg, a.names)):
			t.Errorf("%s: %v, want an error naming %s", a.name, imp, a.names)
		}
	}
	var pid string
	if err := e.App.DB.Gorm.Table("runs").Select("project_id").Where("id = ?", own2).Scan(&pid).Error; err != nil || pid != ten.m.ID.String() {
		t.Errorf("run naming A landed in %q (%v), want the bound project M", pid, err)
	}
	if after := victimState(t, e); after != before {
		t.Fatalf("A changed:\nbefore %s\nafter  %s", before, after)
	}
}
