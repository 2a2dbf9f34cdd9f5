package fingerprint

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdataLines are the lines of every trace under testdata (pytest,
// JUnit, go test, Robot), each also with the lines that follow it, as a
// message line may hold several.
func testdataLines(t testing.TB) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir("testdata", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			out = append(out, l, strings.Join(lines[i:min(i+3, len(lines))], "\n"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 1000 {
		t.Fatalf("only %d lines under testdata", len(out))
	}
	return out
}

// The scanners scrub exactly as the regular expressions did, on every line
// of the real traces.
func TestScrubScannersMatchRegexpsOnRealTraces(t *testing.T) {
	changed := 0
	for _, l := range testdataLines(t) {
		want := scrubRegexp(l)
		if got := scrub(l); got != want {
			t.Errorf("scrub(%q)\n got %q\nwant %q", l, got, want)
		}
		if want != strings.TrimSpace(l) {
			changed++
		}
	}
	if changed < 100 {
		t.Errorf("only %d lines had something to scrub: the comparison proves little", changed)
	}
}

// scrubEdges are the shapes at the edges of each rule: a UUID or hex word
// touching a word character, times with and without fraction and zone, a
// fraction followed by a letter, temp paths with and without /private and
// /var, hex literals cut short, numbers with dots.
var scrubEdges = []string{
	"3f2a9c1e-7b44-4d0a-9a1e-2c5b8e0f6a11", "3F2A9C1E-7B44-4D0A-9A1E-2C5B8E0F6A11", "x3f2a9c1e-7b44-4d0a-9a1e-2c5b8e0f6a11",
	"3f2a9c1e-7b44-4d0a-9a1e-2c5b8e0f6a11_", "3f2a9c1e-7b44-4d0a-9a1e-2c5b8e0f6a1", "3f2a9c1e-7b44-4d0a-9a1e-2c5b8e0f6a11-ab",
	"2026-12-05T17:12:07.496769804Z", "2026-01-02 03:04:05+01:00", "2026-01-02 03:04", "2026-01-02T03:04:05+0100", "2026-01-02T03:04:05+01:0",
	"2026-01-02T03:04:05.", "2026-01-02T03:04:5", "2026-01-02T03:04Z", "2026-01-02T03:04-01", "12026-01-02T03:04", "2026-01-02x03:04",
	"17:12:07", "17:12:07.5", "17:12:07.5x", "17:12:075", "117:12:07", "17:12:07.", "17:12:07_", "1:12:07", "17:12:07:11",
	"/tmp/pytest-of-ci/x", "/var/tmp/a b", "/private/var/tmp/q", "/private/tmp/", "/privatetmp/x", "/var/tmp//x", "/tmp/'", "x/tmp/y",
	"/private/var/folders/ab/cd12/T/tmpq1/a.txt", `C:\Users\ci\AppData\Local\Temp\tmp9x\a.txt`,
	"0x7F00AB", "0x", "0xg", "0x12g", "a0x12", "0x12_", "00x1", "0X1f",
	"4f9d2c7a1b3e5f6071829304", "deadbeef", "e2e", "b2b", "123456789012", "abcdefabcdef1", "abcdefabcdef1g", "_abcdefabcdef1",
	"1", "1.2.3", "1.", "1..2", "v1.2", "a1", "-1", "1a", "1.2a", "test_foo3", "Http2", "<n>", "<hex>1",
	" ", "\t", "\n", "\f", "\r", "\v", "  ", "a \t\nb", "é1", "1é", "x", "-", ":", ".", "'", "\"", "_",
}

// The scanners scrub exactly as the regular expressions did on generated
// lines built from the rules' edge shapes and the bytes around them.
func TestScrubScannersMatchRegexpsOnGeneratedText(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 2026))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(scrubEdges[rng.IntN(len(scrubEdges))])
		}
		l := b.String()
		if got, want := scrub(l), scrubRegexp(l); got != want {
			t.Fatalf("scrub(%q)\n got %q\nwant %q", l, got, want)
		}
	}
}

// FuzzScrub compares the scanners with the regular expressions on any
// input: go test -run - -fuzz FuzzScrub ./pkg/fingerprint
func FuzzScrub(f *testing.F) {
	for _, s := range scrubEdges {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := scrub(s), scrubRegexp(s); got != want {
			t.Fatalf("scrub(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}

// BenchmarkScrub is scrub over every line of the real traces, by the
// scanners and by the regular expressions they replace:
//
//	go test -run - -bench Scrub ./pkg/fingerprint
func BenchmarkScrub(b *testing.B) {
	lines := testdataLines(b)
	for _, c := range []struct {
		name  string
		scrub func(string) string
	}{{"scanners", scrub}, {"regexps", scrubRegexp}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for _, l := range lines {
					c.scrub(l)
				}
			}
		})
	}
}
