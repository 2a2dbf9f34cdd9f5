package importer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// smallCap is the artifact cap of these tests: small, so oversized
// members are cheap to build.
const smallCap = 64 << 10

func withCap(c *config.Config) { c.Limits.ArtifactMaxBytes = smallCap }

// artifactsOf returns a result's artifacts by file name.
func artifactsOf(t *testing.T, e *backendtest.Env, col, owner string) map[string]model.Artifact {
	t.Helper()
	as := testdb.Rows[model.Artifact](t, e.App.DB, "", col+" = ?", owner)
	out := map[string]model.Artifact{}
	for _, a := range as {
		if a.Filename != nil {
			out[*a.Filename] = a
		}
	}
	return out
}

// TestImportedArtifactsAreCapped imports an archive whose members exceed
// the artifact cap and a JUnit case whose captured output and traceback
// do: each is stored truncated to the cap with a marker, a small one is
// kept whole, and the import's metadata names what was cut.
func TestImportedArtifactsAreCapped(t *testing.T) {
	dialects(t, backendtest.Options{Configure: withCap}, func(t *testing.T, e *backendtest.Env) {
		e.CreateProject("p1", e.Admin)
		big := strings.Repeat("0123456789abcdef", 3*smallCap/16) // 3× the cap
		arch := backendtest.TarGz(t,
			[2]string{runR + "/run.json", `{"id":"` + runR + `","metadata":{"project":"p1"}}`},
			[2]string{runR + "/console.log", big},
			[2]string{runR + "/" + resA + "/result.json", `{"id":"` + resA + `","result":"passed","test_id":"t_a","metadata":{}}`},
			[2]string{runR + "/" + resA + "/huge.log", big},
			[2]string{runR + "/" + resA + "/small.log", "small"},
		)
		imp := importFile(t, e, "capped.tar.gz", arch, map[string]string{"project": "p1"})
		if imp["status"] != "done" {
			t.Fatalf("archive import: %v", imp)
		}
		md := imp["metadata"].(map[string]any)
		msg, _ := md["message"].(string)
		if !strings.Contains(msg, runR+"/"+resA+"/huge.log") || !strings.Contains(msg, runR+"/console.log") {
			t.Errorf("the import's message does not name the truncated files: %v", md)
		}
		if cut, _ := md["truncated_artifacts"].([]any); len(cut) != 2 {
			t.Errorf("truncated_artifacts: %v", md["truncated_artifacts"])
		}
		arts := artifactsOf(t, e, "result_id", resA)
		for name, a := range map[string]model.Artifact{"huge.log": arts["huge.log"], "console.log": artifactsOf(t, e, "run_id", runR)["console.log"]} {
			if len(a.Content) > smallCap || !strings.HasSuffix(string(a.Content), "artifact limit]\n") || !strings.HasPrefix(string(a.Content), "0123456789abcdef") {
				t.Errorf("%s: %d bytes stored (cap %d), tail %q", name, len(a.Content), smallCap, tailOf(a.Content))
			}
		}
		if string(arts["small.log"].Content) != "small" {
			t.Errorf("small.log: %q", arts["small.log"].Content)
		}

		xml := `<testsuite name="s" tests="1" failures="1"><testcase classname="a.B" name="t_big"><failure message="m">` + big +
			`</failure><system-out><![CDATA[` + big + `]]></system-out><system-err>short</system-err></testcase></testsuite>`
		imp = importFile(t, e, "junit.xml", []byte(xml), map[string]string{"project": "p1"})
		if imp["status"] != "done" {
			t.Fatalf("junit import: %v", imp)
		}
		md = imp["metadata"].(map[string]any)
		msg, _ = md["message"].(string)
		if !strings.Contains(msg, "B.t_big/system-out.log") || !strings.Contains(msg, "B.t_big/traceback.log") {
			t.Errorf("the import's message does not name the truncated outputs: %v", md)
		}
		var res model.Result
		if err := e.App.DB.Gorm.Where("test_id = ?", "B.t_big").Take(&res).Error; err != nil {
			t.Fatal(err)
		}
		arts = artifactsOf(t, e, "result_id", res.ID.String())
		for _, name := range []string{"system-out.log", "traceback.log"} {
			a := arts[name]
			if len(a.Content) > smallCap || !strings.Contains(string(a.Content), "[ibutsu: truncated") || !strings.HasPrefix(string(a.Content), "0123456789abcdef") {
				t.Errorf("%s: %d bytes stored (cap %d), tail %q", name, len(a.Content), smallCap, tailOf(a.Content))
			}
		}
		if string(arts["system-err.log"].Content) != "short" {
			t.Errorf("system-err.log: %q", arts["system-err.log"].Content)
		}
	})
}

func tailOf(b []byte) string {
	if len(b) > 80 {
		return string(b[len(b)-80:])
	}
	return string(b)
}

// chunksOf counts the stored chunks and content of an import's file.
func chunksOf(t *testing.T, e *backendtest.Env, importID string) int64 {
	t.Helper()
	var n int64
	if err := e.App.DB.Gorm.Raw(`SELECT (SELECT count(*) FROM ibutsu_import_chunks WHERE file_id IN (SELECT id FROM import_files WHERE import_id = ?))
		+ (SELECT count(*) FROM import_files WHERE import_id = ? AND content IS NOT NULL)`, importID, importID).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBadValuesFailTheImportAtOnce imports files the database cannot
// store (a NUL in run.json or result.json, a test name far beyond any
// index, a 2 MiB tag): each import ends in error at once — not after
// four attempts, and never left running — with a message naming the
// problem, and its stored bytes are cleared.
func TestBadValuesFailTheImportAtOnce(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		e.CreateProject("p1", e.Admin)
		cases := []struct {
			name, file string
			body       []byte
			want       string
		}{
			{"NUL in run.json", "nul.tar.gz", backendtest.TarGz(t, [2]string{runR + "/run.json", `{"id":"` + runR + `","metadata":{"project":"p1","x":"a\u0000b"}}`}), "NUL"},
			{"NUL key in result.json", "nulkey.tar.gz", backendtest.TarGz(t, [2]string{runR + "/run.json", `{"id":"` + runR + `"}`},
				[2]string{runR + "/" + resA + "/result.json", `{"id":"` + resA + `","test_id":"t","metadata":{"k\u0000":1}}`}), "NUL"},
			{"long test_id in archive", "long.tar.gz", backendtest.TarGz(t, [2]string{runR + "/run.json", `{"id":"` + runR + `"}`},
				[2]string{runR + "/" + resA + "/result.json", `{"id":"` + resA + `","test_id":"` + strings.Repeat("x", 100000) + `"}`}), "test_id is longer than"},
			{"long JUnit name", "long.xml", []byte(`<testsuite name="s"><testcase classname="a.B" name="` + strings.Repeat("n", 100000) + `"/></testsuite>`), "test_id is longer than"},
			{"2 MiB JUnit tag", "tag.xml", []byte(`<testsuite name="s"><testcase classname="a.B" name="` + strings.Repeat("n", 2<<20) + `"/></testsuite>`), "longer than 1048576 bytes"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				imp := importFile(t, e, c.file, c.body, map[string]string{"project": "p1"})
				md, _ := imp["metadata"].(map[string]any)
				msg, _ := md["error"].(string)
				if imp["status"] != "error" || !strings.Contains(msg, c.want) {
					t.Errorf("import %v, want error with %q", imp, c.want)
				}
				// A failure retrying cannot fix ends the import on its first
				// attempt with the database's own words; one treated as
				// transient is retried to the last attempt, whose message
				// says so. (Counted by outcome, not by a clock: a loaded
				// machine must not fail this test.)
				if strings.HasPrefix(msg, "the import failed on its last attempt") {
					t.Errorf("import retried until its last attempt: %q", msg)
				}
				if n := chunksOf(t, e, imp["id"].(string)); n != 0 {
					t.Errorf("%d chunks of the failed import left", n)
				}
			})
		}
	})
}

// TestLastAttemptSettlesTheImport makes every attempt of an import fail
// for a reason that is not the file's (a trigger raising an internal
// error): once the last retry fails, the import is in error with the
// reason and its bytes are cleared, instead of staying running forever.
func TestLastAttemptSettlesTheImport(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	e.CreateProject("p1", e.Admin)
	if err := e.App.DB.Gorm.Exec(`CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure' USING ERRCODE = 'XX000'; END $$ LANGUAGE plpgsql;
		CREATE TRIGGER boom BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION boom();`).Error; err != nil {
		t.Fatal(err)
	}
	r := upload(e, e.AdminToken, "j.xml", []byte(`<testsuite name="s"><testcase classname="a.B" name="t"/></testsuite>`), map[string]string{"project": "p1"})
	if r.Code != 202 {
		t.Fatalf("upload: %d %s", r.Code, r.Body)
	}
	id := r.Map()["id"].(string)
	deadline := time.Now().Add(40 * time.Second) // three retries: 1+2+4 s of backoff
	for {
		imp := e.Do("GET", "/api/import/"+id, nil, e.AdminToken).Map()
		if imp["status"] == "error" {
			msg, _ := imp["metadata"].(map[string]any)["error"].(string)
			if !strings.Contains(msg, "last attempt") || !strings.Contains(msg, "injected failure") {
				t.Errorf("message %q", msg)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("import still %v after every attempt failed", imp["status"])
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := chunksOf(t, e, id); n != 0 {
		t.Errorf("%d chunks of the failed import left", n)
	}
}

// TestRepairStuckImports settles imports left pending or running by a
// task that will never run again (an old one), leaves a young one and a
// finished one alone, and clears the settled ones' bytes.
func TestRepairStuckImports(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		e.CreateProject("p1", e.Admin)
		ctx := context.Background()
		svc := e.App.Services.Imports
		ids := map[string]string{}
		for _, st := range []string{"old-running", "old-pending", "young-running", "old-done"} {
			r := upload(e, e.AdminToken, st+".xml", []byte(`<testsuite name="s"><testcase classname="a.B" name="t"/></testsuite>`), map[string]string{"project": "p1"})
			id := r.Map()["id"].(string)
			waitImport(t, e, id)
			for deadline := time.Now().Add(10 * time.Second); chunksOf(t, e, id) != 0; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("the finished import's bytes were never cleared")
				}
			}
			status := strings.SplitN(st, "-", 2)[1]
			created := time.Now().UTC().Add(-5 * time.Hour)
			if strings.HasPrefix(st, "young") {
				created = time.Now().UTC().Add(-time.Minute)
			}
			if err := e.App.DB.Gorm.Exec("UPDATE imports SET status = ?, created = ? WHERE id = ?", status, created, id).Error; err != nil {
				t.Fatal(err)
			}
			// Give each its bytes back, as an import that never ran has them.
			if err := e.App.DB.Gorm.Exec("INSERT INTO ibutsu_import_chunks (file_id, seq, data) SELECT id, 0, ? FROM import_files WHERE import_id = ?", []byte("x"), id).Error; err != nil {
				t.Fatal(err)
			}
			ids[st] = id
		}
		n, err := svc.RepairStuck(ctx, time.Now().UTC().Add(-4*time.Hour))
		if err != nil || n != 2 {
			t.Fatalf("repaired %d, %v; want 2", n, err)
		}
		for st, id := range ids {
			imp := e.Do("GET", "/api/import/"+id, nil, e.AdminToken).Map()
			want := map[string]string{"old-running": "error", "old-pending": "error", "young-running": "running", "old-done": "done"}[st]
			if imp["status"] != want {
				t.Errorf("%s: status %v, want %s", st, imp["status"], want)
			}
			chunks := chunksOf(t, e, id)
			if want == "error" {
				if msg, _ := imp["metadata"].(map[string]any)["error"].(string); !strings.Contains(msg, "did not finish") {
					t.Errorf("%s: message %q", st, msg)
				}
				if chunks != 0 {
					t.Errorf("%s: %d chunks left", st, chunks)
				}
			} else if chunks == 0 {
				t.Errorf("%s: bytes of an import that was not repaired were cleared", st)
			}
		}
	})
}
