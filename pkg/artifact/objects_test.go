package artifact_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/artifact"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// objEnv is env with every artifact in a fresh bucket of the test S3 server.
func objEnv(t *testing.T, sqlite bool, redirect bool) (*env, *objstore.Store) {
	cfg := testenv.S3Config(t)
	cfg.Redirect = redirect
	e := newEnv(t, sqlite, func(c *config.Config) { c.ObjectStore = cfg })
	s, err := objstore.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e, s
}

// objectRows is ibutsu_artifact_objects by artifact id.
func objectRows(t *testing.T, e *env) map[string]artifact.ObjectRow {
	t.Helper()
	var rows []artifact.ObjectRow
	if err := e.App.DB.Gorm.Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]artifact.ObjectRow{}
	for _, r := range rows {
		out[r.ArtifactID.String()] = r
	}
	return out
}

func objectBody(t *testing.T, s *objstore.Store, key string) (string, bool) {
	t.Helper()
	r, err := s.Get(context.Background(), key, 0)
	if errors.Is(err, objstore.ErrNotFound) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), true
}

// TestObjectStoreArtifacts: with a store configured (threshold 0) uploads
// land in the bucket and the row keeps upstream's shape with content NULL;
// list, view and download answer as before; a foreign project's artifact
// can be neither read nor deleted (its object stays); a delete removes the
// object at once, and an artifact row removed behind the API's back (as
// retention or a cascade does) has its object removed by the task.
func TestObjectStoreArtifacts(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		t.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(t *testing.T) {
			e, s := objEnv(t, sqlite, false)
			rows := objectRows(t, e)
			if len(rows) != 4 {
				t.Fatalf("object rows: %d, want 4", len(rows))
			}
			for id, content := range e.artifacts(t) {
				if !strings.HasSuffix(content, "|") {
					t.Errorf("artifact %s keeps its bytes in the database: %q", id, content)
				}
			}
			mine := e.mine["resultArt"]
			if body, ok := objectBody(t, s, rows[mine].Key); !ok || body != "log of mine" {
				t.Fatalf("object of %s: %q %v", mine, body, ok)
			}
			v := e.Do("GET", "/api/artifact/"+mine+"/view", nil, e.UserToken)
			if v.Code != 200 || v.Body.String() != "log of mine" || !strings.HasPrefix(v.Header().Get("Content-Type"), "text/plain") {
				t.Fatalf("view: %d %q %q", v.Code, v.Body, v.Header().Get("Content-Type"))
			}
			d := e.Do("GET", "/api/artifact/"+mine+"/download", nil, e.UserToken)
			if d.Code != 200 || d.Body.String() != "log of mine" || !strings.Contains(d.Header().Get("Content-Disposition"), "log.txt") {
				t.Fatalf("download: %d %q %q", d.Code, d.Body, d.Header().Get("Content-Disposition"))
			}
			if got := e.ids(t, "/api/artifact?resultId="+e.mine["result"], e.UserToken); len(got) != 1 || got[0] != mine {
				t.Fatalf("list: %v", got)
			}

			countObjects := func() int {
				n := 0
				_ = s.List(context.Background(), "", func(objstore.Object) error { n++; return nil })
				return n
			}
			before := countObjects()
			if r := e.upload(map[string]string{"resultId": e.theirs["result"], "filename": "x.txt"}, "intruder", e.UserToken); r.Code != 403 {
				t.Fatalf("upload to a foreign result: %d %s", r.Code, r.Body)
			}
			if n := countObjects(); n != before || len(objectRows(t, e)) != 4 {
				t.Fatalf("a refused upload left an object: %d objects, %d rows", n, len(objectRows(t, e)))
			}

			theirs := e.theirs["resultArt"]
			for _, p := range []string{"/view", "/download"} {
				if r := e.Do("GET", "/api/artifact/"+theirs+p, nil, e.UserToken); r.Code != 403 {
					t.Errorf("foreign %s: %d %s", p, r.Code, r.Body)
				}
			}
			if r := e.Do("DELETE", "/api/artifact/"+theirs, nil, e.UserToken); r.Code != 403 {
				t.Fatalf("foreign delete: %d %s", r.Code, r.Body)
			}
			if _, ok := objectBody(t, s, rows[theirs].Key); !ok {
				t.Fatal("a refused delete removed the foreign object")
			}
			if _, ok := objectRows(t, e)[theirs]; !ok {
				t.Fatal("a refused delete removed the foreign object row")
			}

			if r := e.Do("DELETE", "/api/artifact/"+mine, nil, e.UserToken); r.Code != 200 {
				t.Fatalf("delete: %d %s", r.Code, r.Body)
			}
			if _, ok := objectBody(t, s, rows[mine].Key); ok {
				t.Fatal("the deleted artifact's object is still there")
			}
			if _, ok := objectRows(t, e)[mine]; ok {
				t.Fatal("the deleted artifact's object row is still there")
			}

			// Rows removed behind the API's back: the task removes the objects.
			if err := e.App.DB.Gorm.Exec("DELETE FROM artifacts WHERE run_id IS NOT NULL").Error; err != nil {
				t.Fatal(err)
			}
			rep, err := e.App.Services.Objects.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Deleted != 2 || rep.Missing != 0 || rep.Orphans != 0 {
				t.Fatalf("report %+v, want 2 deleted", rep)
			}
			for _, m := range []map[string]string{e.mine, e.theirs} {
				if _, ok := objectBody(t, s, rows[m["runArt"]].Key); ok {
					t.Errorf("object of deleted run artifact %s still there", m["runArt"])
				}
			}
			if left := objectRows(t, e); len(left) != 1 {
				t.Fatalf("object rows left: %v", left)
			}
		})
	}
}

// TestObjectStoreRedirect: with redirects on, a download is a 302 to a
// presigned URL that serves the bytes; view still streams.
func TestObjectStoreRedirect(t *testing.T) {
	e, _ := objEnv(t, false, true)
	id := e.mine["runArt"]
	d := e.Do("GET", "/api/artifact/"+id+"/download", nil, e.UserToken)
	loc := d.Header().Get("Location")
	if d.Code != http.StatusFound || loc == "" {
		t.Fatalf("download: %d %q", d.Code, loc)
	}
	resp, err := http.Get(loc) //nolint:noctx // the presigned URL itself
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "console of mine" {
		t.Fatalf("presigned: %d %q", resp.StatusCode, b)
	}
	if r := e.Do("GET", "/api/artifact/"+e.theirs["runArt"]+"/download", nil, e.UserToken); r.Code != 403 || r.Header().Get("Location") != "" {
		t.Fatalf("foreign download: %d %q", r.Code, r.Header().Get("Location"))
	}
	if v := e.Do("GET", "/api/artifact/"+id+"/view", nil, e.UserToken); v.Code != 200 || v.Body.String() != "console of mine" {
		t.Fatalf("view: %d %q", v.Code, v.Body)
	}
}

// TestRetentionRemovesObjects: prune-old-artifact-files deletes the rows
// of old artifacts kept in the store; the next artifact-objects run removes
// their objects, and the young artifact's object stays.
func TestRetentionRemovesObjects(t *testing.T) {
	e, s := objEnv(t, false, false)
	ctx := context.Background()
	old := e.mine["resultArt"]
	if err := e.App.DB.Gorm.Exec("UPDATE artifacts SET upload_date = upload_date - INTERVAL '400 days' WHERE id = ?", old).Error; err != nil {
		t.Fatal(err)
	}
	rows := objectRows(t, e)
	if _, err := e.App.Services.Upkeep.PruneFiles(ctx, 3); err != nil {
		t.Fatal(err)
	}
	rep, err := e.App.Services.Objects.Run(ctx)
	if err != nil || rep.Deleted != 1 {
		t.Fatalf("after retention: %+v %v", rep, err)
	}
	if _, ok := objectBody(t, s, rows[old].Key); ok {
		t.Fatal("the pruned artifact's object is still there")
	}
	if _, ok := objectBody(t, s, rows[e.mine["runArt"]].Key); !ok {
		t.Fatal("a young artifact's object was removed")
	}
}
