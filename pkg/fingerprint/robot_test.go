package fingerprint

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// robotTest is one failed test of a Robot Framework output.xml: the test's
// own message (what `robot --xunit` writes as <failure message="…"
// type="AssertionError"/>, and so what our JUnit import stores as
// metadata.short_tb and exception_name) and the Python traceback its first
// failing keyword logged at DEBUG level.
type robotTest struct{ name, message, traceback string }

// robotFailures reads the failed tests of an output.xml excerpt under
// testdata/robot (see its README: real output published by the Robot
// Framework project). Tests are the <test> elements under the root; a
// test's message is the text of its own <status>, its traceback the first
// DEBUG message starting "Traceback" at any depth below it.
func robotFailures(t *testing.T, file string) []robotTest {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "robot", file))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	dec := xml.NewDecoder(f)
	var (
		out   []robotTest
		cur   *robotTest
		depth int // below the current <test>
		text  strings.Builder
		level string
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if x.Name.Local == "test" && cur == nil {
				cur, depth = &robotTest{}, 0
				for _, a := range x.Attr {
					if a.Name.Local == "name" {
						cur.name = a.Value
					}
				}
				continue
			}
			if cur == nil {
				continue
			}
			depth++
			text.Reset()
			level = ""
			for _, a := range x.Attr {
				if a.Name.Local == "level" {
					level = a.Value
				}
			}
		case xml.CharData:
			text.Write(x)
		case xml.EndElement:
			if cur == nil {
				continue
			}
			if x.Name.Local == "test" && depth == 0 {
				out = append(out, *cur)
				cur = nil
				continue
			}
			switch {
			case x.Name.Local == "status" && depth == 1:
				cur.message = text.String()
			case x.Name.Local == "msg" && level == "DEBUG" && cur.traceback == "" && strings.HasPrefix(text.String(), "Traceback"):
				cur.traceback = text.String()
			}
			text.Reset()
			depth--
		}
	}
	return out
}

// wantRobot pins the normalised texts of the Robot failures: "xunit/" as
// imported from `robot --xunit` (message and type only), "traceback/" when
// the DEBUG traceback of the first failing keyword is attached after the
// message (Robot 4 logs the frames only, Robot 5 and later end them with
// the exception line).
var wantRobot = map[string]string{
	"xunit/Dummy Test":                                         "AssertionError\nNo keyword with name 'dummykw' found.",
	"xunit/Non-ASCII Failure":                                  "AssertionError\n" + robotCircle,
	"xunit/Non-ASCII Failure In Setup":                         "AssertionError\nSetup failed:\n" + robotCircle,
	"xunit/Non-ASCII Failure In Teardown After Normal Failure": "AssertionError\nJust ASCII here\nAlso teardown failed:\n" + robotCircle,
	"xunit/Fail": "AssertionError\nExpected failure",
	"xunit/Failing test with failing teardown": "AssertionError\nKeyword\nAlso teardown failed:\nTest Teardown",

	"traceback/Dummy Test":                                         "AssertionError\nNo keyword with name 'dummykw' found.",
	"traceback/Non-ASCII Failure":                                  "AssertionError\n" + robotCircle + "\nat NonAsciiLibrary.py in raise_non_ascii_error",
	"traceback/Non-ASCII Failure In Setup":                         "AssertionError\nSetup failed:\n" + robotCircle + "\nat NonAsciiLibrary.py in raise_non_ascii_error",
	"traceback/Non-ASCII Failure In Teardown After Normal Failure": "AssertionError\nJust ASCII here\nAlso teardown failed:\n" + robotCircle + "\nat BuiltIn.py in fail",
	"traceback/Fail":                                               "AssertionError\nExpected failure\nat BuiltIn.py in fail",
	"traceback/Failing test with failing teardown":                 "AssertionError\nKeyword\nAlso teardown failed:\nTest Teardown\nat BuiltIn.py in fail",
}

// robotCircle is the fixture library's non-ASCII message, normalised: the
// ASCII number goes, the Bengali digits are letters of the text.
const robotCircle = "Circle is <n>°, Hyvää üötä, উৄ ৰ ৺ ট ৫ ৪ হ"

// TestFingerprintsOfRobotFailures: the same six failures, written by Robot
// 4.0, 5.0 and 7 (different timestamps, Python versions, Robot internals and
// line numbers), give one fingerprint each across the three runs, different
// failures give different ones, and the texts are pinned.
func TestFingerprintsOfRobotFailures(t *testing.T) {
	runs := [][]robotTest{robotFailures(t, "robot-4.0.xml"), robotFailures(t, "robot-5.0.xml"), robotFailures(t, "robot-7.0.xml")}
	for i, r := range runs {
		if len(r) != 6 {
			t.Fatalf("run %d: %d failed tests, want 6", i, len(r))
		}
	}
	kinds := map[string]func(robotTest) Input{
		"xunit": func(r robotTest) Input {
			return Input{Status: "failed", Exception: "AssertionError", Text: r.message}
		},
		"traceback": func(r robotTest) Input {
			return Input{Status: "failed", Exception: "AssertionError", Text: strings.TrimRight(r.message+"\n"+r.traceback, "\n")}
		},
	}
	for kind, in := range kinds {
		seen := map[string]string{}
		for i, r := range runs[0] {
			a, _ := Compute(in(r))
			key := kind + "/" + r.name
			t.Logf("%s:\n%s", key, a.Text)
			for _, other := range runs[1:] {
				if other[i].name != r.name {
					t.Fatalf("%s: runs list tests in a different order (%s)", key, other[i].name)
				}
				if b, _ := Compute(in(other[i])); b.Hash != a.Hash {
					t.Errorf("%s: runs differ:\n%s\n--- vs ---\n%s", key, a.Text, b.Text)
				}
			}
			if prev, dup := seen[a.Hash]; dup {
				t.Errorf("%s and %s share a fingerprint:\n%s", key, prev, a.Text)
			}
			seen[a.Hash] = key
			if w, ok := wantRobot[key]; !ok {
				t.Errorf("%s: no pinned text", key)
			} else if w != a.Text {
				t.Errorf("%s: normalised text\n%s\nwant\n%s", key, a.Text, w)
			}
		}
	}
}

// TestRobotVolatileValues: a real Robot 7 failure (message and DEBUG
// traceback of "Non-ASCII Failure" in testdata/robot/robot-7.0.xml) and the
// same failure with what differs between machines and runs changed — Robot
// installed elsewhere, the library in a temp directory, other line
// numbers, a number in the message — have one fingerprint; a different
// message does not.
func TestRobotVolatileValues(t *testing.T) {
	var published robotTest
	for _, r := range robotFailures(t, "robot-7.0.xml") {
		if r.name == "Non-ASCII Failure" {
			published = r
		}
	}
	if published.traceback == "" {
		t.Fatal("fixture: no traceback for Non-ASCII Failure")
	}
	in := func(msg, tb string) Input {
		return Input{Status: "failed", Exception: "AssertionError", Text: msg + "\n" + tb}
	}
	base, _ := Compute(in(published.message, published.traceback))
	moved := strings.NewReplacer(
		"/home/peke/Devel/robotframework/src/robot/", "/usr/lib/python3.12/site-packages/robot/",
		"/home/peke/Devel/robotframework/atest/testresources/testlibs/", "/tmp/tmpk2v9x1qz/libs/",
		"line 20,", "line 31,", "line 52,", "line 61,", "360", "270",
	)
	variant, _ := Compute(in(moved.Replace(published.message), moved.Replace(published.traceback)))
	if variant.Hash != base.Hash {
		t.Errorf("volatile values split the failure:\n%s\n--- vs ---\n%s", base.Text, variant.Text)
	}
	other, _ := Compute(in("Circle is 360°, something else", published.traceback))
	if other.Hash == base.Hash {
		t.Errorf("a different message kept the fingerprint:\n%s", other.Text)
	}
}

// TestRobotRunnerFramesDropped: Robot's keyword runner (robot/running/…,
// from a checkout or an installed package, POSIX or Windows paths) is not a
// frame of the failure; Robot's libraries (robot/libraries/BuiltIn.py) are.
func TestRobotRunnerFramesDropped(t *testing.T) {
	tb := `Traceback (most recent call last):
  File "C:\Python312\Lib\site-packages\robot\running\librarykeywordrunner.py", line 52, in run
    return_value = self._run(kw, data.args, result, context)
  File "/usr/lib/python3/dist-packages/robot/running/librarykeywordrunner.py", line 101, in _execute
    result = method(*positional, **dict(named))
  File "/usr/lib/python3/dist-packages/robot/libraries/BuiltIn.py", line 507, in fail
    raise AssertionError(msg) if msg else AssertionError()
AssertionError: boom`
	fp, _ := Compute(Input{Status: "failed", Text: tb})
	if want := "AssertionError\nboom\nat BuiltIn.py in fail"; fp.Text != want {
		t.Errorf("got\n%s\nwant\n%s", fp.Text, want)
	}
}

// TestRepeatedMessageLineOnce: a message line said twice (Robot 5 and later
// end the traceback with the message the report starts with) counts once,
// so a traceback with and without its final exception line match.
func TestRepeatedMessageLineOnce(t *testing.T) {
	frames := "Traceback (most recent call last):\n  File \"lib.py\", line 3, in check\n    raise AssertionError(msg)\n"
	a, _ := Compute(Input{Status: "failed", Exception: "AssertionError", Text: "Setup failed:\nvalue 3 != 4\n" + frames + "AssertionError: value 3 != 4"})
	b, _ := Compute(Input{Status: "failed", Exception: "AssertionError", Text: "Setup failed:\nvalue 5 != 6\n" + frames})
	if want := "AssertionError\nSetup failed:\nvalue <n> != <n>\nat lib.py in check"; a.Text != want || b.Text != want {
		t.Errorf("got\n%s\nand\n%s\nwant\n%s", a.Text, b.Text, want)
	}
}

// TestRobotSeveralFailures pins Robot's multi-failure message (a test that
// went on after failures, from testdata/robot/several-failures.txt): the
// first 3 message lines, like any message, with the items' numbers
// normalised.
func TestRobotSeveralFailures(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "robot", "several-failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := strconv.Unquote(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	msg = strings.TrimPrefix(msg, "*") // Robot's mark of an uncompressed string
	fp, _ := Compute(Input{Status: "failed", Exception: "AssertionError", Text: msg})
	if want := "AssertionError\nSeveral failures occurred:\n<n>) First failure\n<n>) Second failure"; fp.Text != want {
		t.Errorf("got\n%s\nwant\n%s", fp.Text, want)
	}
}
