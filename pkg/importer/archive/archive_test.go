package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
)

// entry is one member to write into a test archive.
type entry struct {
	name string
	body string
	typ  byte
}

func build(t testing.TB, es ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range es {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o644, Size: int64(len(e.body))}
		if typ == tar.TypeDir || typ == tar.TypeSymlink {
			h.Size = 0
			h.Linkname = e.body
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	_ = zw.Close()
	return buf.Bytes()
}

const (
	run = "11111111-1111-4111-8111-111111111111"
	res = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
)

func TestWalkClassifies(t *testing.T) {
	data := build(t,
		entry{name: run + "/", typ: tar.TypeDir},
		entry{name: run + "/run.json", body: "{}"},
		entry{name: run + "/console.log", body: "log"},
		entry{name: "./" + run + "/" + res + "/result.json", body: "{}"},
		entry{name: run + "/" + res + "/traceback.log", body: "tb"},
	)
	var got []string
	err := Walk(bytes.NewReader(data), Limits{MaxEntries: 10, MaxBytes: 100}, func(m Member) error {
		b, _ := io.ReadAll(m.Body)
		got = append(got, string(rune('0'+m.Kind))+":"+m.Name+":"+string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "1:run.json:{} 2:console.log:log 3:result.json:{} 4:traceback.log:tb"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %v", got)
	}
}

func TestWalkRejects(t *testing.T) {
	big := strings.Repeat("0", 4096)
	tests := []struct {
		name string
		es   []entry
		lim  Limits
		want string
	}{
		{"tar slip dotdot", []entry{{name: run + "/../../etc/passwd", body: "x"}}, Limits{}, "unsafe member name"},
		{"tar slip absolute", []entry{{name: "/" + run + "/run.json", body: "x"}}, Limits{}, "unsafe member name"},
		{"backslash", []entry{{name: run + `\..\x`, body: "x"}}, Limits{}, "unsafe member name"},
		{"symlink", []entry{{name: run + "/link", body: "/etc/passwd", typ: tar.TypeSymlink}}, Limits{}, "not a regular file"},
		{"root file", []entry{{name: "run.json", body: "{}"}}, Limits{}, "not inside a run directory"},
		{"bad run dir", []entry{{name: "nope/run.json", body: "{}"}}, Limits{}, "Invalid run ID nope"},
		{"bad result dir", []entry{{name: run + "/not-a-uuid/result.json", body: "{}"}}, Limits{}, "Invalid result ID not-a-uuid"},
		{"too deep", []entry{{name: run + "/" + res + "/sub/file.txt", body: "x"}}, Limits{}, "nested deeper"},
		{"too many entries", []entry{{name: run + "/a", body: "1"}, {name: run + "/b", body: "2"}, {name: run + "/c", body: "3"}}, Limits{MaxEntries: 2}, "more than 2 members"},
		{"bomb", []entry{{name: run + "/a", body: big}, {name: run + "/b", body: big}}, Limits{MaxBytes: 6000}, "more than 6000 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Walk(bytes.NewReader(build(t, tt.es...)), tt.lim, func(Member) error { return nil })
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	for _, raw := range [][]byte{nil, []byte("not a tar"), {0x1f, 0x8b, 0, 0}} {
		if err := Walk(bytes.NewReader(raw), Limits{}, func(Member) error { return nil }); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v", raw, err)
		}
	}
}

// TestWalkStopsBombEarly checks a highly compressible archive that claims
// gigabytes is refused from its headers, before the bytes are inflated.
func TestWalkStopsBombEarly(t *testing.T) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(zw)
	zeros := make([]byte, 1<<20)
	for i := 0; i < 3; i++ {
		_ = tw.WriteHeader(&tar.Header{Name: run + "/blob" + string(rune('a'+i)), Typeflag: tar.TypeReg, Size: 64 << 20, Mode: 0o644})
		for j := 0; j < 64; j++ {
			_, _ = tw.Write(zeros)
		}
	}
	_ = tw.Close()
	_ = zw.Close()
	if buf.Len() > 1<<20 {
		t.Fatalf("bomb is %d bytes compressed", buf.Len())
	}
	calls := 0
	err := Walk(bytes.NewReader(buf.Bytes()), Limits{MaxBytes: 100 << 20}, func(Member) error { calls++; return nil })
	if !errors.Is(err, ErrInvalid) || calls != 1 {
		t.Fatalf("err %v after %d members", err, calls)
	}
}

func FuzzWalk(f *testing.F) {
	f.Add(build(f, entry{name: run + "/run.json", body: "{}"}, entry{name: run + "/" + res + "/result.json", body: "{}"}))
	f.Add(build(f, entry{name: run + "/../x", body: "x"}))
	f.Add([]byte("plain"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		var total int64
		err := Walk(bytes.NewReader(data), Limits{MaxEntries: 50, MaxBytes: 1 << 20}, func(m Member) error {
			n++
			if m.Run.String() == "" || m.Name == "" || strings.Contains(m.Name, "/") {
				t.Fatalf("bad member %+v", m)
			}
			b, err := io.ReadAll(m.Body)
			total += int64(len(b))
			return err
		})
		if err == nil && (n > 50 || total > 1<<20) {
			t.Fatalf("limits not enforced: %d members %d bytes", n, total)
		}
	})
}
