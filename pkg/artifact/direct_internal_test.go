package artifact

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strings"
	"testing"
)

const testBoundary = "xyz"

// directBody frames fields then a file part with testBoundary, as Go's
// and Python's clients do, followed by rest (normally the closing
// delimiter).
func directBody(content, rest string) string {
	return "--" + testBoundary + "\r\nContent-Disposition: form-data; name=\"runId\"\r\n\r\nr1\r\n" +
		"--" + testBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n" +
		"Content-Type: application/octet-stream\r\n\r\n" + content + rest
}

// directCase reads body as readForm does up to the file part (k = 1) and
// returns what the direct path needs, with the multipart reader, which
// must read on after a failed direct read.
type directCase struct {
	head *framing
	mr   *multipart.Reader
	part *multipart.Part
	// passed counts the bytes the multipart reader took from the framing.
	passed *countingReader
}

type countingReader struct {
	r     io.Reader
	n     int // bytes read
	reads int // calls that returned bytes
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	if n > 0 {
		c.reads++
	}
	return n, err
}

func openDirect(t *testing.T, body io.Reader, length int64) directCase {
	t.Helper()
	head := &framing{r: bufio.NewReaderSize(body, bodyBuffer), length: length, boundary: testBoundary}
	passed := &countingReader{r: head}
	mr := multipart.NewReader(passed, testBoundary)
	for k := 0; ; k++ {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("part %d: %v", k, err)
		}
		if p.FormName() == "file" {
			return directCase{head: head, mr: mr, part: p, passed: passed}
		}
		if _, err := io.Copy(io.Discard, p); err != nil {
			t.Fatal(err)
		}
	}
}

// putExactly takes exactly size bytes into got, as the store's client
// does: another length is an error. calls counts its calls.
func putExactly(size int64, got *bytes.Buffer, calls *int) func([]byte) error {
	return func(b []byte) error {
		*calls++
		if int64(len(b)) != size {
			return fmt.Errorf("put of %d bytes, want %d", len(b), size)
		}
		got.Write(b)
		return nil
	}
}

// TestSendDirectReadsTheBody: a last file part of the usual framing goes
// to the store from the body itself: exactly its bytes, in one put, and
// the multipart reader never sees more than what it held before (the
// 4 KiB its buffer took in with the headers). The body is read in pieces
// of directRead bytes.
func TestSendDirectReadsTheBody(t *testing.T) {
	content := strings.Repeat("0123456789\r\n--xy\r\n", 60_000) // 1 MiB with CRLFs and dashes
	body := directBody(content, "\r\n--"+testBoundary+"--\r\n")
	src := &countingReader{r: strings.NewReader(body)}
	c := openDirect(t, src, int64(len(body)))
	start, size := c.head.lastPart(1)
	if size != int64(len(content)) || body[start:start+size] != content {
		t.Fatalf("lastPart: start %d size %d, want size %d", start, size, len(content))
	}
	before, reads := c.passed.n, src.reads
	w, got, calls := &fill{}, &bytes.Buffer{}, 0
	ok, err := sendDirect(c.head, start, size, w, putExactly(size, got, &calls))
	if !ok || err != nil || calls != 1 {
		t.Fatalf("sendDirect: %v %v, %d puts", ok, err, calls)
	}
	if got.String() != content || string(w.b) != content {
		t.Fatalf("stored %d bytes, kept %d, want %d", got.Len(), len(w.b), len(content))
	}
	if c.passed.n != before || before > 8<<10 {
		t.Fatalf("the multipart reader took %d bytes, then %d more", before, c.passed.n-before)
	}
	// The file's bytes, less those held, then the closing delimiter and
	// the end: a read per directRead bytes and two more.
	if n, most := src.reads-reads, int(size)/directRead+3; n > most {
		t.Fatalf("%d reads of the body for %d bytes, want at most %d", n, size, most)
	}
}

// TestSendDirectGivesWay: whenever the guess of the file's end is wrong,
// the body is cut short or the store fails, the direct read hands every
// byte back and the multipart reader reads the part and what follows
// exactly as it would have; and no byte went to the store unless the body
// ended as guessed.
func TestSendDirectGivesWay(t *testing.T) {
	end := "\r\n--" + testBoundary + "--\r\n"
	big := strings.Repeat("abcdefgh", 40_000) // 320 KiB: past the body buffer
	for _, c := range []struct {
		name, content, rest string
		cut                 int    // body bytes withheld (Content-Length still counts them)
		storeFails          bool   // the put fails
		wantFile            string // the part as the multipart reader reads it
		wantNext            string // the next part's value, "" for the end
		wantErr             bool   // reading the part fails (the body was cut)
	}{
		{name: "epilogue", content: big, rest: end + "an epilogue\r\n", wantFile: big},
		{name: "no CRLF after the close", content: big, rest: end[:len(end)-2], wantFile: big},
		{name: "a part after the file", content: big, rest: "\r\n--" + testBoundary + "\r\nContent-Disposition: form-data; name=\"filename\"\r\n\r\nf.bin" + end, wantFile: big, wantNext: "f.bin"},
		{name: "a small file, then a part", content: "tiny", rest: "\r\n--" + testBoundary + "\r\nContent-Disposition: form-data; name=\"filename\"\r\n\r\nf.bin" + end, wantFile: "tiny", wantNext: "f.bin"},
		{name: "a delimiter at once after the headers", content: "", rest: "--" + testBoundary + "\r\nContent-Disposition: form-data; name=\"filename\"\r\n\r\nf.bin" + end, wantNext: "f.bin"},
		{name: "boundary-like line in the file", content: big + "\r\n--" + testBoundary + "zz\r\n" + big, rest: end, wantFile: big + "\r\n--" + testBoundary + "zz\r\n" + big},
		{name: "boundary text, not the close, at the end", content: big, rest: "\r\n--" + testBoundary + "abcd", wantErr: true},
		{name: "cut short", content: big, rest: end, cut: 100_000, wantErr: true},
		{name: "store fails", content: big, rest: end, storeFails: true, wantFile: big},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := directBody(c.content, c.rest)
			r := io.Reader(strings.NewReader(body[:len(body)-c.cut]))
			dc := openDirect(t, r, int64(len(body)))
			start, size := dc.head.lastPart(1)
			if size <= 0 {
				t.Fatalf("no guess (start %d)", start)
			}
			w, calls := &fill{}, 0
			put := putExactly(size, &bytes.Buffer{}, &calls)
			if c.storeFails {
				put = func([]byte) error {
					calls++
					return errors.New("store down")
				}
			}
			ok, err := sendDirect(dc.head, start, size, w, put)
			if ok || err != nil || len(w.b) != 0 {
				t.Fatalf("sendDirect: %v %v, %d bytes kept", ok, err, len(w.b))
			}
			if want := map[bool]int{true: 1}[c.storeFails]; calls != want {
				t.Fatalf("%d puts, want %d", calls, want)
			}
			got, err := io.ReadAll(dc.part)
			if c.wantErr {
				if err == nil {
					t.Fatalf("read a cut part without an error (%d bytes)", len(got))
				}
				return
			}
			if err != nil || string(got) != c.wantFile {
				t.Fatalf("part: %d bytes, %v; want %d", len(got), err, len(c.wantFile))
			}
			next, err := dc.mr.NextPart()
			if c.wantNext == "" {
				if !errors.Is(err, io.EOF) {
					t.Fatalf("after the file: %v, want the end", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := io.ReadAll(next); string(v) != c.wantNext {
				t.Fatalf("next part %q, want %q", v, c.wantNext)
			}
		})
	}
}

// TestLastPartShapes: the guess is made only for the framing in which the
// multipart reader certainly stopped where lastPart says; any other gets
// none (and the upload reads the file through the multipart reader).
func TestLastPartShapes(t *testing.T) {
	const b = testBoundary
	file := "Content-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\nDATA"
	end := "\r\n--" + b + "--\r\n"
	for _, c := range []struct {
		name, body string
		k          int
		want       bool
	}{
		{"file alone", "--" + b + "\r\n" + file + end, 0, true},
		{"field then file", "--" + b + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" + b + "\r\n" + file + end, 1, true},
		{"no headers", "--" + b + "\r\n\r\nDATA" + end, 0, true},
		{"preamble", "hello\r\n--" + b + "\r\n" + file + end, 0, false},
		{"space after the delimiter", "--" + b + " \r\n" + file + end, 0, false},
		{"LF line ends", "--" + b + "\n" + strings.ReplaceAll(file, "\r\n", "\n") + end, 0, false},
		{"LF in the headers", "--" + b + "\r\nX-A: 1\n" + file + end, 0, false},
		{"quoted-printable", "--" + b + "\r\nContent-Transfer-Encoding: quoted-printable\r\n" + file + end, 0, false},
		{"delimiter right after the headers", "--" + b + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--" + b + "\r\n" + file + end, 1, false},
		{"boundary text in a field", "--" + b + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nsee --" + b + "\r\n--" + b + "\r\n" + file + end, 1, false},
		{"delimiter with a suffix", "--" + b + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" + b + "q\r\n--" + b + "\r\n" + file + end, 1, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &framing{head: []byte(c.body), length: int64(len(c.body)), boundary: b}
			start, size := f.lastPart(c.k)
			if got := size > 0; got != c.want {
				t.Fatalf("guess %v (start %d, size %d), want %v", got, start, size, c.want)
			}
			if c.want && c.body[start:start+size] != "DATA" {
				t.Fatalf("guessed %q", c.body[start:start+size])
			}
		})
	}
}
