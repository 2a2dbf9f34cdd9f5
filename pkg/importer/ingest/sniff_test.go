package ingest

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestHeadViews(t *testing.T) {
	h := &Head{Bytes: []byte("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- c -->\n<test-run xmlns=\"urn:x\" id=\"2\"><x/>")}
	if n, ns := h.XMLRoot(); n != "test-run" || ns != "urn:x" || !h.LooksXML() {
		t.Errorf("xml root %q %q", n, ns)
	}
	if k, _, _ := h.JSON(); k != 0 {
		t.Errorf("XML read as JSON %c", k)
	}
	j := &Head{Bytes: []byte(`  {"config": {"a": [1, 2]}, "suites": [], "errors": [`)}
	if k, keys, _ := j.JSON(); k != '{' || strings.Join(keys, ",") != "config,suites,errors" || !HasKey(keys, "suites") {
		t.Errorf("json %c %v", k, keys)
	}
	a := &Head{Bytes: []byte(`[{"keyword": "Feature", "elements": [{"x": 1}], "uri": "a.feature"}]`)}
	if k, keys, elem := a.JSON(); k != '[' || keys != nil || strings.Join(elem, ",") != "keyword,elements,uri" {
		t.Errorf("array %c %v %v", k, keys, elem)
	}
	l := &Head{Bytes: []byte("TAP version 13\r\nok 1\n\xff")}
	if got := l.Lines(5); len(got) != 2 || got[0] != "TAP version 13" {
		t.Errorf("lines %q", got)
	}
	if (&Head{Bytes: []byte("a\x00b")}).Lines(1) != nil {
		t.Error("binary read as lines")
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	tw := tar.NewWriter(zw)
	for _, n := range []string{"run/run.json", "run/r1/result.json"} {
		_ = tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: 2})
		_, _ = tw.Write([]byte("{}"))
	}
	_ = tw.Close()
	_ = zw.Close()
	g := &Head{Bytes: gz.Bytes()}
	if !g.Gzip() || strings.Join(g.TarNames(), ",") != "run/run.json,run/r1/result.json" || g.Zip() {
		t.Errorf("tar names %v", g.TarNames())
	}
	if (&Head{Bytes: []byte("PK\x03\x04rest")}).Zip() != true {
		t.Error("zip")
	}
}

func TestReadLineAndCut(t *testing.T) {
	br := bufio.NewReaderSize(strings.NewReader("short\n"+strings.Repeat("x", 100)+"\nend"), 16)
	if l, err := ReadLine(br, 50); string(l) != "short\n" || err != nil {
		t.Fatalf("%q %v", l, err)
	}
	if _, err := ReadLine(br, 50); !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("long line: %v", err)
	}
	br = bufio.NewReader(strings.NewReader("last"))
	if l, err := ReadLine(br, 50); string(l) != "last" || !errors.Is(err, io.EOF) {
		t.Fatalf("%q %v", l, err)
	}
	if s, cut := Cut("héllo", 2); cut != true || s != "h"+CutMarker {
		t.Errorf("cut inside a character: %q", s)
	}
	if e := Errorf("X", 3, 10, "bad %d", 1); e.Error() != "invalid X at line 3 (byte offset 10): bad 1" {
		t.Error(e)
	}
}
