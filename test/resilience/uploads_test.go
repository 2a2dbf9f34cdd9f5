package resilience

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

const gib = 1 << 30

// TestOversizedUploadsAreCutOffWithoutBuffering streams a 1 GiB body from a
// generator (never allocated) into each upload endpoint over real TCP: the
// server must answer 413 (or drop the connection) after reading little more
// than its limit, and its heap must not grow anywhere near the body's size —
// an import is spooled to disk as it streams, an artifact or JSON body is
// read only up to its cap.
func TestOversizedUploadsAreCutOffWithoutBuffering(t *testing.T) {
	cfg := testConfig(t, testenv.NewPostgresDatabase(t))
	cfg.Limits.ImportMaxBytes = 64 << 20
	be := startInProcess(t, cfg, nil)
	createProject(t, be.Srv.URL, be.Token, "p1")
	cases := []struct {
		name, path, field string
		limit             int64
		multipart         bool
	}{
		{"import", "/api/import", "importFile", cfg.Limits.ImportMaxBytes, true},
		{"artifact", "/api/artifact", "file", cfg.Limits.ArtifactMaxBytes, true},
		{"result JSON", "/api/result", "", cfg.Limits.JSONBodyMaxBytes, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gen := &GenReader{N: gib}
			var body io.Reader
			ct := "application/json"
			if c.multipart {
				var head bytes.Buffer
				mw := multipart.NewWriter(&head)
				_ = mw.WriteField("project", "p1")
				_, _ = mw.CreateFormFile(c.field, "huge.xml")
				ct = mw.FormDataContentType()
				body = io.MultiReader(&head, gen, strings.NewReader("\r\n--"+mw.Boundary()+"--\r\n"))
			} else {
				body = io.MultiReader(strings.NewReader(`{"test_id":"`), gen)
			}
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			var peak atomic.Uint64
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				var m runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-time.After(20 * time.Millisecond):
					}
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
				}
			}()
			req, _ := http.NewRequest(http.MethodPost, be.Srv.URL+c.path, body)
			req.ContentLength = -1 // chunked: the server cannot refuse on the header alone
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+be.Token)
			start := time.Now()
			resp, err := http.DefaultClient.Do(req)
			elapsed := time.Since(start)
			close(stop)
			<-sampled
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			status, answer := 0, ""
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				status, answer = resp.StatusCode, string(b)
			} else {
				answer = err.Error()
			}
			growth := int64(peak.Load()) - int64(before.HeapInuse)
			t.Logf("1 GiB to %s (limit %d MiB): %d after %s, server took %d MiB, heap in use +%d MiB at peak, %d MiB allocated in all; %s",
				c.path, c.limit>>20, status, elapsed.Round(time.Millisecond), gen.Consumed()>>20, growth>>20, (after.TotalAlloc-before.TotalAlloc)>>20, tail(answer, 160))
			if err == nil && (status != http.StatusRequestEntityTooLarge || !json.Valid([]byte(answer))) {
				t.Errorf("answer %d %q, want 413 with a JSON body", status, answer)
			}
			if gen.Consumed() > c.limit+64<<20 {
				t.Errorf("the server read %d MiB of a body capped at %d MiB", gen.Consumed()>>20, c.limit>>20)
			}
			if growth > 64<<20+c.limit/2 && growth > 128<<20 {
				t.Errorf("heap grew by %d MiB while a 1 GiB body was refused", growth>>20)
			}
		})
	}
}

// importFile uploads one file to /api/import and waits for the import to
// end; it returns the final import object and the raw answer of the upload.
func importFile(t *testing.T, base, token, name string, content []byte) (map[string]any, int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("project", "p1")
	fw, _ := mw.CreateFormFile("importFile", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	status, raw := postImport(t, base+"/api/import", token, &buf, mw.FormDataContentType())
	if status >= 500 {
		t.Fatalf("upload %s: %d %s", name, status, raw)
	}
	if status != http.StatusAccepted && status != http.StatusCreated {
		return nil, status, string(raw)
	}
	var imp map[string]any
	if err := json.Unmarshal(raw, &imp); err != nil {
		t.Fatalf("upload %s: %s", name, raw)
	}
	id, _ := imp["id"].(string)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		status, raw := authDo(t, http.MethodGet, base+"/api/import/"+id, token, nil, "")
		imp = map[string]any{}
		if status != http.StatusOK || json.Unmarshal(raw, &imp) != nil {
			t.Fatalf("import %s status: %d %s", name, status, raw)
		}
		if st, _ := imp["status"].(string); st == "done" || st == "error" {
			return imp, status, string(raw)
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %s never finished: %s", name, raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// gzipBomb is a .tar.gz of one member of n zero bytes (n a multiple of
// 1 MiB). A tar of zeros is a 512-byte header and then nothing but zeros, so
// the gzip stream is built from members (gzip readers read concatenated
// members as one stream): the header, then one compressed MiB of zeros
// repeated — about 1 KiB per MiB, and cheap to build even under -race.
func gzipBomb(t *testing.T, n int64) []byte {
	t.Helper()
	var hdr bytes.Buffer
	tw := tar.NewWriter(&hdr)
	if err := tw.WriteHeader(&tar.Header{Name: "junit.xml", Mode: 0o644, Size: n, Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	out := gzipMember(hdr.Bytes())
	mib := gzipMember(make([]byte, 1<<20))
	for i := int64(0); i < n>>20; i++ {
		out = append(out, mib...)
	}
	return append(out, gzipMember(make([]byte, 1024))...) // the end-of-archive blocks
}

// tarSlip is a .tar.gz whose members try to escape the extraction directory.
func tarSlip(t *testing.T, marker string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	add := func(h *tar.Header, body string) {
		h.Mode, h.Size = 0o644, int64(len(body))
		if h.Typeflag == tar.TypeSymlink {
			h.Size = 0
			body = ""
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte(body))
	}
	run := `{"id":"5b1a4d7e-4d52-4b8e-9a55-1d2b3c4d5e6f","metadata":{"project":"p1"}}`
	add(&tar.Header{Name: "run.json", Typeflag: tar.TypeReg}, run)
	add(&tar.Header{Name: "../../../../../../tmp/" + marker, Typeflag: tar.TypeReg}, "slipped")
	add(&tar.Header{Name: "/tmp/" + marker + "-abs", Typeflag: tar.TypeReg}, "slipped")
	add(&tar.Header{Name: "link", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}, "")
	add(&tar.Header{Name: "link/../../etc/" + marker, Typeflag: tar.TypeReg}, "slipped")
	_ = tw.Close()
	_ = gz.Close()
	return buf.Bytes()
}

// TestHostileImports uploads a gzip bomb, a tar-slip archive and XML with a
// DTD (billion laughs; an external entity naming /etc/passwd) through POST
// /api/import and checks each is refused or imported harmlessly: the bomb is
// stopped at the decompression cap, nothing is written outside, no entity
// is expanded and no local file is read into a result.
func TestHostileImports(t *testing.T) {
	cfg := testConfig(t, testenv.NewPostgresDatabase(t))
	cfg.Limits.ArchiveMaxBytes = 64 << 20
	be := startInProcess(t, cfg, nil)
	createProject(t, be.Srv.URL, be.Token, "p1")
	passwd := "root:x:0:0"

	t.Run("gzip bomb", func(t *testing.T) {
		bomb := gzipBomb(t, 1<<30) // 1 GiB of zeros, about 1 MiB compressed
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		imp, code, raw := importFile(t, be.Srv.URL, be.Token, "bomb.tar.gz", bomb)
		runtime.ReadMemStats(&after)
		t.Logf("%d KiB bomb: upload %d, import %v; %d MiB allocated while it ran", len(bomb)>>10, code, imp["status"], (after.TotalAlloc-before.TotalAlloc)>>20)
		if imp != nil && imp["status"] != "error" {
			t.Errorf("a gzip bomb was imported: %s", raw)
		}
		if after.TotalAlloc-before.TotalAlloc > 512<<20 {
			t.Errorf("%d MiB allocated for a bomb capped at %d MiB", (after.TotalAlloc-before.TotalAlloc)>>20, cfg.Limits.ArchiveMaxBytes>>20)
		}
	})
	t.Run("tar slip", func(t *testing.T) {
		marker := fmt.Sprintf("ibutsu-slip-%d", time.Now().UnixNano())
		imp, code, raw := importFile(t, be.Srv.URL, be.Token, "slip.tar.gz", tarSlip(t, marker))
		t.Logf("tar slip: upload %d, import %v", code, imp["status"])
		for _, p := range []string{"/tmp/" + marker, "/tmp/" + marker + "-abs", "/etc/" + marker} {
			if _, err := os.Lstat(p); err == nil { // a symlink left behind counts too
				t.Errorf("the archive wrote %s: %s", p, raw)
			}
		}
		if strings.Contains(raw, passwd) || strings.Contains(resultsDump(t, be), passwd) {
			t.Error("a symlink member exposed /etc/passwd")
		}
	})
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
		`<!ENTITY l1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">`
	for i := 2; i <= 9; i++ {
		laughs += fmt.Sprintf(`<!ENTITY l%d "%s">`, i, strings.Repeat(fmt.Sprintf("&l%d;", i-1), 10))
	}
	laughs += `]><testsuite name="s" tests="1"><testcase classname="a.B" name="&l9;"/></testsuite>`
	for _, c := range []struct{ name, xml string }{
		{"billion laughs", laughs},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
			`<testsuite name="s" tests="1"><testcase classname="a.B" name="t"><system-out>&xxe;</system-out></testcase></testsuite>`},
		{"parameter entity", `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>` +
			`<testsuite name="s" tests="1"><testcase classname="a.B" name="t"/></testsuite>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			imp, code, raw := importFile(t, be.Srv.URL, be.Token, "junit.xml", []byte(c.xml))
			runtime.ReadMemStats(&after)
			t.Logf("%s: upload %d, import %v, %d MiB allocated", c.name, code, imp["status"], (after.TotalAlloc-before.TotalAlloc)>>20)
			dump := resultsDump(t, be)
			if strings.Contains(raw, passwd) || strings.Contains(dump, passwd) {
				t.Errorf("an external entity was resolved: %s", tail(dump, 500))
			}
			if strings.Contains(dump, "lollollol") {
				t.Errorf("entities were expanded: %s", tail(dump, 300))
			}
			if after.TotalAlloc-before.TotalAlloc > 256<<20 {
				t.Errorf("%d MiB allocated for a few hundred bytes of XML", (after.TotalAlloc-before.TotalAlloc)>>20)
			}
		})
	}
	// Values the database cannot store and texts over the caps (issue 17):
	// each import ends at once — error with a reason, or done with the
	// text cut — never left running, and a failed one's bytes are cleared.
	for _, c := range []struct {
		name, file string
		body       []byte
		status     string
		want       string
	}{
		{"NUL in run.json", "nul.tar.gz", tarGzFiles(t, "5b1a4d7e-4d52-4b8e-9a55-1d2b3c4d5e6f/run.json",
			`{"id":"5b1a4d7e-4d52-4b8e-9a55-1d2b3c4d5e6f","metadata":{"project":"p1","x":"\u0000"}}`), "error", "NUL"},
		{"50 MB test name", "name.xml", []byte(`<testsuite name="s"><testcase classname="a.B" name="` + strings.Repeat("n", 50<<20) + `"/></testsuite>`), "error", "longer than"},
		{"32 MB system-out", "out.xml", []byte(`<testsuite name="s"><testcase classname="a.B" name="t"><system-out>` + strings.Repeat("o", 32<<20) + `</system-out></testcase></testsuite>`), "done", "system-out.log"},
	} {
		t.Run(c.name, func(t *testing.T) {
			imp, code, raw := importFile(t, be.Srv.URL, be.Token, c.file, c.body)
			if imp == nil || imp["status"] != c.status || !strings.Contains(raw, c.want) {
				t.Fatalf("upload %d, import %s; want %s naming %q", code, tail(raw, 300), c.status, c.want)
			}
			var left int64
			be.App.DB.Gorm.Raw(`SELECT count(*) FROM ibutsu_import_chunks WHERE file_id IN (SELECT id FROM import_files WHERE import_id = ?)`, imp["id"]).Scan(&left)
			if c.status == "error" && left != 0 {
				t.Errorf("%d chunks of the failed import left", left)
			}
		})
	}
}

// tarGzFiles is a .tar.gz of name/content pairs.
func tarGzFiles(t *testing.T, nameContent ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for i := 0; i+1 < len(nameContent); i += 2 {
		if err := tw.WriteHeader(&tar.Header{Name: nameContent[i], Mode: 0o644, Size: int64(len(nameContent[i+1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte(nameContent[i+1]))
	}
	_ = tw.Close()
	_ = gz.Close()
	return buf.Bytes()
}

// resultsDump is every stored result as JSON text.
func resultsDump(t *testing.T, be *inProcess) string {
	t.Helper()
	var s string
	if err := be.App.DB.Gorm.Raw(`SELECT coalesce(string_agg(to_jsonb(r)::text, E'\n'), '') FROM results r`).Row().Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// gzipMember is b as one gzip member, best compressed: gzip readers read
// concatenated members as one stream, so a huge archive of zeros is its
// headers' member and one compressed MiB of zeros repeated.
func gzipMember(b []byte) []byte {
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = gz.Write(b)
	_ = gz.Close()
	return buf.Bytes()
}
