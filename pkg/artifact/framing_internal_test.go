package artifact

import (
	"bytes"
	"io"
	"mime/multipart"
	"strings"
	"testing"
)

// TestLastPartSize: for the framings of Go's multipart writer and of
// Python's (requests/urllib3: the same bytes, fields first), the size read
// from the Content-Length equals the file's; when the file is not the last
// part or the start is too long to keep, it is a guess the caller's check
// refuses or no guess at all.
func TestLastPartSize(t *testing.T) {
	body := func(fieldsFirst bool, content string) ([]byte, string) {
		buf := &bytes.Buffer{}
		w := multipart.NewWriter(buf)
		if fieldsFirst {
			_ = w.WriteField("runId", "4f1d3c1e-5a4e-4bd8-9a51-0c0f0e0d0c0b")
			_ = w.WriteField("filename", "x.log")
		}
		fw, _ := w.CreateFormFile("file", "x.log")
		_, _ = io.WriteString(fw, content)
		if !fieldsFirst {
			_ = w.WriteField("filename", "x.log")
		}
		_ = w.Close()
		return buf.Bytes(), w.Boundary()
	}
	guess := func(b []byte, boundary string) int64 {
		f := &framing{r: bytes.NewReader(b), length: int64(len(b)), boundary: boundary}
		mr := multipart.NewReader(f, boundary)
		for k := 0; ; k++ {
			p, err := mr.NextPart()
			if err != nil {
				t.Fatalf("no file part: %v", err)
			}
			if p.FormName() == "file" {
				_, size := f.lastPart(k)
				return size
			}
			_, _ = io.Copy(io.Discard, p)
		}
	}
	for _, content := range []string{"a", strings.Repeat("line\r\n--\r\n", 10_000)} {
		b, bd := body(true, content)
		if got := guess(b, bd); got != int64(len(content)) {
			t.Errorf("fields first, %d bytes: guessed %d", len(content), got)
		}
		b, bd = body(false, content)
		if got := guess(b, bd); got == int64(len(content)) {
			t.Errorf("file first, %d bytes: guessed the size although a part follows", len(content))
		}
	}
	long, bd := body(true, "z")
	long = append([]byte(strings.Repeat("preamble\r\n", maxHead/10+1)), long...) // a preamble past what is kept
	if got := guess(long, bd); got != 0 {
		t.Errorf("start past maxHead: guessed %d, want 0", got)
	}
}
