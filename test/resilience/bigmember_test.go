package resilience

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// bigMemberArchive streams a .tar.gz holding a run, one result and a
// result artifact of n zero bytes (n a multiple of 1 MiB) — about 1 KiB
// of gzip per MiB, generated while it is read: gzip readers read
// concatenated members as one stream, so the archive is a member with
// the headers and JSON files, one compressed MiB of zeros repeated, and
// a member with the end-of-archive blocks.
func bigMemberArchive(t *testing.T, runID, resultID string, n int64) io.Reader {
	t.Helper()
	var head bytes.Buffer
	tw := tar.NewWriter(&head)
	add := func(name, body string, size int64) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(tw, body)
	}
	add(runID+"/run.json", `{"id":"`+runID+`","metadata":{"project":"p1"}}`, int64(len(`{"id":"`+runID+`","metadata":{"project":"p1"}}`)))
	res := `{"id":"` + resultID + `","result":"passed","test_id":"t_big","metadata":{}}`
	add(runID+"/"+resultID+"/result.json", res, int64(len(res)))
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	add(runID+"/"+resultID+"/huge.log", "", n) // header only: the zeros follow
	mib := gzipMember(make([]byte, 1<<20))
	parts := []io.Reader{bytes.NewReader(gzipMember(head.Bytes()))}
	parts = append(parts, &repeated{b: mib, n: int(n >> 20)})
	parts = append(parts, bytes.NewReader(gzipMember(make([]byte, 1024)))) // end-of-archive blocks
	return io.MultiReader(parts...)
}

// repeated yields b n times.
type repeated struct {
	b   []byte
	n   int
	off int
}

func (r *repeated) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	c := copy(p, r.b[r.off:])
	if r.off += c; r.off == len(r.b) {
		r.off, r.n = 0, r.n-1
	}
	return c, nil
}

// TestHostileArchiveMemberKeepsTheWorkerSmall imports a ~1 MiB .tar.gz
// whose one artifact member is 1 GiB of zeros into a backend process that
// runs its import tasks in-process (the embedded worker), built without
// the race detector: the import succeeds with the artifact cut to the
// 5 MiB cap (the import's metadata names it) and the process's peak RSS
// stays under 100 MB. Reading a member whole, the process grew by the
// member's size (3 GB for 900 MiB, as the issue found).
func TestHostileArchiveMemberKeepsTheWorkerSmall(t *testing.T) {
	const member = 1 << 30
	const rssLimit = 100 << 20
	dsn := testenv.NewPostgresDatabase(t)
	bin := BuildTestBinary(t)
	be := StartBackendBinary(t, bin, "DATABASE_URL="+dsn, "JWT_SECRET=bigmember-secret", "LOG_LEVEL=warn",
		"IBUTSU_SUPERADMIN_EMAIL=admin@example.com", "IBUTSU_SUPERADMIN_PASSWORD=admin-password")
	token := be.Login("admin@example.com", "admin-password")
	createProject(t, be.URL, token, "p1")
	before, _ := be.RSS()

	const runID, resultID = "5b1a4d7e-4d52-4b8e-9a55-1d2b3c4d5e6f", "6c2b5e8f-5e63-4c9f-8b66-2e3c4d5e6f70"
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		_ = mw.WriteField("project", "p1")
		fw, _ := mw.CreateFormFile("importFile", "big.tar.gz")
		_, err := io.Copy(fw, bigMemberArchive(t, runID, resultID, member))
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	start := time.Now()
	status, raw := postImport(t, be.URL+"/api/import", token, pr, mw.FormDataContentType())
	if status != http.StatusAccepted {
		t.Fatalf("upload: %d %s", status, raw)
	}
	var imp map[string]any
	if err := json.Unmarshal(raw, &imp); err != nil {
		t.Fatalf("upload reply %s: %v", raw, err)
	}
	id, _ := imp["id"].(string)
	for deadline := time.Now().Add(3 * time.Minute); ; {
		code, body := be.Call(t.Context(), "GET", "/api/import/"+id, token, nil)
		imp = map[string]any{}
		if code != 200 || json.Unmarshal(body, &imp) != nil {
			t.Fatalf("import status: %d %s", code, body)
		}
		if st := imp["status"]; st == "done" || st == "error" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("import not finished after 3 minutes: %s", body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	peak, err := be.PeakRSS()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("1 GiB member imported in %s: status %v, RSS %d MiB before, peak %d MiB", time.Since(start).Round(time.Millisecond),
		imp["status"], before>>20, peak>>20)
	md, _ := imp["metadata"].(map[string]any)
	if imp["status"] != "done" || !strings.Contains(fmt.Sprint(md["message"]), "huge.log") {
		t.Errorf("import %v: want done, naming huge.log as truncated", imp)
	}
	if peak > rssLimit {
		t.Errorf("peak RSS %d MiB importing a 1 GiB member, want under %d MiB", peak>>20, rssLimit>>20)
	}
	code, body := be.Call(t.Context(), "GET", "/api/artifact?resultId="+resultID, token, nil)
	var list struct {
		Artifacts []struct {
			ID       string `json:"id"`
			Filename string `json:"filename"`
		} `json:"artifacts"`
	}
	if code != 200 || json.Unmarshal(body, &list) != nil || len(list.Artifacts) != 1 {
		t.Fatalf("artifacts: %d %s", code, body)
	}
	code, body = be.Call(t.Context(), "GET", "/api/artifact/"+list.Artifacts[0].ID+"/download", token, nil)
	if code != 200 || len(body) > 5<<20 || !strings.HasSuffix(string(body), "artifact limit]\n") {
		t.Errorf("stored artifact: %d, %d bytes, tail %q", code, len(body), tail(string(body), 100))
	}
}
