package artifact_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
)

// TestUploadBodyShapes sends uploads whose file goes to the object store
// (threshold 0) in every shape a client may frame them: the usual one
// (fields, then the file as the last part) goes to the store while it
// arrives, the others fall back to reading the file first. Each answers
// as before — 201 with exact bytes, or the 4xx of the buffered path — and
// leaves exactly one object per artifact row: none from a refused upload
// or a wrong guess of the file's size.
func TestUploadBodyShapes(t *testing.T) {
	e, s := objEnv(t, false, false)
	runID := e.mine["run"]
	big := strings.Repeat("0123456789\r\n--xy\r\n", 60_000) // 1 MiB, with CRLFs and dashes
	const b = "xyz"
	field := func(name, v string) string {
		return "--" + b + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + v + "\r\n"
	}
	file := func(content string) string {
		return "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n" +
			"Content-Type: application/octet-stream\r\n\r\n" + content + "\r\n"
	}
	end := "--" + b + "--\r\n"
	fields := field("runId", runID) + field("filename", "f.bin")
	for _, c := range []struct {
		name, body, want string
		chunked          bool
		code             int
	}{
		{"fields then file", fields + file("log line\n") + end, "log line\n", false, 201},
		{"large file last", fields + file(big) + end, big, false, 201},
		{"file first", file("first") + fields + end, "first", false, 201},
		{"metadata after the file", fields + file("meta") + field("additionalMetadata", `{"a":1}`) + end, "meta", false, 201},
		{"epilogue", fields + file("epi") + end + "trailing words\r\n", "epi", false, 201},
		{"preamble", "a preamble\r\n" + fields + file("pre") + end, "pre", false, 201},
		{"no CRLF after the closing delimiter", fields + file("bare") + "--" + b + "--", "bare", false, 201},
		{"chunked", fields + file("chunked") + end, "chunked", true, 201},
		{"empty file", fields + file("") + end, "", false, 400},
		{"a delimiter at once after the file's headers", fields + strings.TrimSuffix(file(""), "\r\n") + field("filename", "g.bin") + end, "", false, 400},
		{"boundary-like line in the file", fields + file(big+"\r\n--"+b+"zz\r\n"+big) + end, big + "\r\n--" + b + "zz\r\n" + big, false, 201},
		{"quoted-printable file", fields + "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"q.txt\"\r\n" +
			"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + "a=3Db" + "\r\n" + end, "a=b", false, 201},
		{"too large", fields + file(strings.Repeat("x", 5<<20+1)) + end, "", false, 400},
		{"foreign run", field("runId", e.theirs["run"]) + field("filename", "f.bin") + file("intruder") + end, "", false, 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(c.body)
			if c.chunked {
				body = io.MultiReader(body) // no length: sent chunked
			}
			req := httptest.NewRequest("POST", "/api/artifact", body)
			if c.chunked {
				req.ContentLength = -1
			}
			req.Header.Set("Content-Type", "multipart/form-data; boundary="+b)
			req.Header.Set("Authorization", "Bearer "+e.UserToken)
			r := e.Serve(req)
			if r.Code != c.code {
				t.Fatalf("status %d, want %d: %s", r.Code, c.code, r.Body)
			}
			if c.code == 201 {
				id := r.Map()["id"].(string)
				v := e.Do("GET", "/api/artifact/"+id+"/view", nil, e.UserToken)
				if v.Code != 200 || v.Body.String() != c.want {
					t.Fatalf("view: %d, %d bytes, want %d", v.Code, v.Body.Len(), len(c.want))
				}
				if row, ok := objectRows(t, e)[id]; !ok || row.Size != int64(len(c.want)) {
					t.Fatalf("object row %+v %v, want size %d", row, ok, len(c.want))
				}
			}
			checkNoOrphans(t, e, s)
		})
	}
}

// TestUploadBodyCutShort: a client that stops sending in the middle of a
// file that was going to the store gets a 400, and neither a row nor an
// object is left.
func TestUploadBodyCutShort(t *testing.T) {
	e, s := objEnv(t, false, false)
	buf := &bytes.Buffer{}
	w := multipart.NewWriter(buf)
	_ = w.WriteField("runId", e.mine["run"])
	_ = w.WriteField("filename", "cut.bin")
	fw, _ := w.CreateFormFile("file", "cut.bin")
	_, _ = fw.Write(bytes.Repeat([]byte("y"), 1<<20))
	_ = w.Close()
	full := buf.Len()
	req := httptest.NewRequest("POST", "/api/artifact", io.LimitReader(buf, int64(full/2)))
	req.ContentLength = int64(full)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.UserToken)
	before := len(objectRows(t, e))
	if r := e.Serve(req); r.Code != 400 {
		t.Fatalf("status %d, want 400: %s", r.Code, r.Body)
	}
	if n := len(objectRows(t, e)); n != before {
		t.Fatalf("object rows %d, want %d", n, before)
	}
	checkNoOrphans(t, e, s)
}

// checkNoOrphans: the bucket holds exactly the objects of the rows.
func checkNoOrphans(t *testing.T, e *env, s *objstore.Store) {
	t.Helper()
	rows := objectRows(t, e)
	keys := map[string]bool{}
	for _, r := range rows {
		keys[r.Key] = true
	}
	var extra []string
	n := 0
	if err := s.List(context.Background(), "", func(o objstore.Object) error {
		n++
		if !keys[o.Key] {
			extra = append(extra, o.Key)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(extra) > 0 || n != len(rows) {
		t.Fatalf("bucket: %d objects for %d rows, without a row: %s", n, len(rows), fmt.Sprint(extra))
	}
}
