package fingerprint

import (
	"strings"
	"testing"
)

func TestOnlyFailuresAndErrorsGetOne(t *testing.T) {
	for _, s := range []string{"passed", "skipped", "xfailed", "xpassed", "manual", "blocked", ""} {
		if _, ok := Compute(Input{Status: s, Text: "boom"}); ok {
			t.Errorf("%q got a fingerprint", s)
		}
	}
	for _, s := range []string{"failed", "error"} {
		if _, ok := Compute(Input{Status: s}); !ok {
			t.Errorf("%q got none", s)
		}
	}
}

// A plain Python traceback, as `python3 demo.py` printed it for
//
//	def connect(t): raise TimeoutError(f"connection {uuid.uuid4()} timed out after {t}s")
//	def test(): connect(30)
//	test()
const pythonTrace = `Traceback (most recent call last):
  File "/tmp/tc-py/demo.py", line 6, in <module>
    test()
  File "/tmp/tc-py/demo.py", line 5, in test
    connect(30)
  File "/tmp/tc-py/demo.py", line 3, in connect
    raise TimeoutError(f"connection {uuid.uuid4()} timed out after {t}s")
TimeoutError: connection 04bce053-fe84-4fa7-8f57-67f68d05219f timed out after 30s`

func TestPythonTraceback(t *testing.T) {
	fp, _ := Compute(Input{Status: "error", Text: pythonTrace})
	want := "TimeoutError\nconnection <uuid> timed out after <n>s\nat demo.py in <module>\nat demo.py in test\nat demo.py in connect"
	if fp.Text != want {
		t.Fatalf("got\n%s\nwant\n%s", fp.Text, want)
	}
	// Checked out elsewhere, another id and timeout: the same failure.
	moved := strings.NewReplacer("/tmp/tc-py/", "/home/ci/work/", "04bce053-fe84-4fa7-8f57-67f68d05219f", "9b1d0c1e-0000-4000-8000-000000000001", "30s", "45s").Replace(pythonTrace)
	if other, _ := Compute(Input{Status: "failed", Text: moved}); other.Hash != fp.Hash {
		t.Errorf("moved trace differs:\n%s", other.Text)
	}
}

func TestExceptionNameWinsAndLosesItsModule(t *testing.T) {
	a, _ := Compute(Input{Status: "failed", Exception: "json.decoder.JSONDecodeError", Text: "Expecting value: line 1 column 1 (char 0)"})
	b, _ := Compute(Input{Status: "failed", Exception: "JSONDecodeError", Text: "Expecting value: line 3 column 9 (char 20)"})
	if a.Hash != b.Hash || a.Exception != "JSONDecodeError" {
		t.Fatalf("%q / %q", a.Text, b.Text)
	}
}

func TestScrub(t *testing.T) {
	for in, want := range map[string]string{
		"id 3f2a9c1e-7b44-4d0a-9a1e-2c5b8e0f6a11 at 0x7F00AB":             "id <uuid> at <hex>",
		"at 2026-12-05T17:12:07.496769804Z and 2026-01-02 03:04:05+01:00": "at <time> and <time>",
		"took 17:12:07.5":                                 "took <time>",
		"commit 4f9d2c7a1b3e5f6071829304 failed":          "commit <hex> failed",
		"e2e b2b deadbeef Http2 test_foo3":                "e2e b2b deadbeef Http2 test_foo3",
		"open /tmp/pytest-of-ci/pytest-12/x0/a.txt":       "open <tmp>/pytest-<n>/x0/a.txt",
		"open /private/var/folders/ab/cd12/T/tmpq1/a.txt": "open <tmp>/a.txt",
		`open C:\Users\ci\AppData\Local\Temp\tmp9x\a.txt`: `open <tmp>\a.txt`,
		"a   b\t c": "a b c",
	} {
		if got := scrub(in); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
	if got := scrub(strings.Repeat("é", 500)); len([]rune(got)) != maxLineRunes {
		t.Errorf("not capped: %d runes", len([]rune(got)))
	}
}

func TestNoDetailsIsItsOwnCluster(t *testing.T) {
	a, _ := Compute(Input{Status: "failed"})
	b, _ := Compute(Input{Status: "error", Text: "\n \n"})
	if a.Text != "-\n(no traceback)" || a.Hash != b.Hash {
		t.Fatalf("%q %q", a.Text, b.Text)
	}
}
