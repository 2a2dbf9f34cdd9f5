package fingerprint

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The traces under testdata are real: testdata/gen/gen.sh ran the failing
// tests in testdata/gen twice each with pytest, JUnit 4 and go test and
// kept their output. Robot Framework is not available on the machine the
// fixtures were made on; its fixtures (testdata/robot, robot_test.go) are
// excerpts of output published by the Robot Framework project.

// failure is one failed test of a fixture.
type failure struct{ name, exception, text, message string }

// pytestFailures reads a pytest --junitxml report: each failure's type
// attribute, message attribute and text, joined as pytest-ibutsu's
// short_tb holds them (message first line, then the traceback).
func pytestFailures(t *testing.T, file string) []failure {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var out []failure
	for _, c := range doc.Cases {
		out = append(out, failure{name: c.Name, exception: c.Failure.Type, text: c.Failure.Text, message: c.Failure.Message})
	}
	return out
}

// splitFailures cuts a runner's console output into one text per failed
// test, at each line header matches (its first group is the test's name).
func splitFailures(t *testing.T, file string, header *regexp.Regexp) []failure {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var out []failure
	for _, l := range strings.Split(string(b), "\n") {
		if m := header.FindStringSubmatch(l); m != nil {
			out = append(out, failure{name: m[1]})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].text += l + "\n"
		}
	}
	return out
}

var (
	junitHeader  = regexp.MustCompile(`^\d+\) (\w+)\(`)
	goTestHeader = regexp.MustCompile(`^--- FAIL: (\w+) `)
)

// want pins the normalised text of every fixture failure: a change to the
// rules that changes one of them changes the clusters people already have,
// so it must be deliberate.
var want = map[string]string{
	"pytest/test_assert_dict": "AssertionError\nassert <n> == <n>\nat test_sample.py",
	"pytest/test_connection":  "ConnectionError\nGET /api/run/<n> failed: request <uuid> timed out after <n>s at <hex>\nat test_sample.py",
	"pytest/test_tempfile":    "FileNotFoundError\n[Errno <n>] No such file or directory: '<tmp>/missing/conf.json'\nat test_sample.py",
	"pytest/test_json": "JSONDecodeError\nExpecting property name enclosed in double quotes: line <n> column <n> (char <n>)\n" +
		"at __init__.py in loads\nat decoder.py in decode\nat decoder.py",
	"junit4/nullName":   "NullPointerException\nCannot invoke \"String.length()\" because \"<local1>\" is null\nat SampleTest.nullName",
	"junit4/statusIsOk": "AssertionError\nstatus of request <uuid> expected:<<n>> but was:<<n>>\nat SampleTest.statusIsOk",
	"gotest/TestStatus": "-\nGET /api/run/<n>: status = <n>, want <n> (at <time>)\nat sample_test.go",
	"gotest/TestPanic":  "panic\nassignment to entry in nil map\nat sample.TestPanic",
}

func TestFingerprintsOfRealTraces(t *testing.T) {
	suites := map[string]func(string) []failure{
		"pytest": func(f string) []failure { return pytestFailures(t, "pytest-"+f+".xml") },
		"junit4": func(f string) []failure { return splitFailures(t, "junit4-"+f+".txt", junitHeader) },
		"gotest": func(f string) []failure { return splitFailures(t, "gotest-"+f+".txt", goTestHeader) },
	}
	for suite, load := range suites {
		one, two := load("run1"), load("run2")
		if len(one) < 2 || len(one) != len(two) {
			t.Fatalf("%s: %d and %d failures in the two runs", suite, len(one), len(two))
		}
		seen := map[string]string{}
		for i, f := range one {
			a, ok := Compute(Input{Status: "failed", Exception: f.exception, Text: f.text})
			if !ok {
				t.Fatalf("%s %s: no fingerprint", suite, f.name)
			}
			b, _ := Compute(Input{Status: "failed", Exception: two[i].exception, Text: two[i].text})
			key := suite + "/" + f.name
			t.Logf("%s:\n%s", key, a.Text)
			if a.Hash != b.Hash {
				t.Errorf("%s: the two runs differ:\n%s\n--- vs ---\n%s", key, a.Text, b.Text)
			}
			if other, dup := seen[a.Hash]; dup {
				t.Errorf("%s and %s share a fingerprint:\n%s", key, other, a.Text)
			}
			seen[a.Hash] = key
			if w, ok := want[key]; ok && w != a.Text {
				t.Errorf("%s: normalised text\n%s\nwant\n%s", key, a.Text, w)
			} else if !ok {
				t.Errorf("%s: no pinned text", key)
			}
		}
	}
}

// pytestIbutsuShortTB is the metadata.short_tb pytest-ibutsu sends for a
// failure (its IbutsuTestResult.set_metadata_short_tb): the last 4 lines of
// the report's long text, the exception's type name, and Python's repr of
// the exception's str() encoded to ASCII bytes. It is built here from the
// real pytest report: the <failure> text is the long text, the last line
// ("file.py:14: AssertionError") names the type, and the message attribute
// is the exception's str() after "<module.Type>: " (a bare assert has none).
func pytestIbutsuShortTB(f failure) (typ, shortTB string) {
	lines := strings.Split(f.text, "\n")
	last := lines[len(lines)-1]
	typ = last[strings.LastIndex(last, ": ")+2:]
	value := f.message
	if i := strings.Index(value, typ+": "); i >= 0 && !strings.Contains(value[:i], " ") {
		value = value[i+len(typ)+2:]
	}
	if len(lines) > 4 {
		lines = lines[len(lines)-4:]
	}
	return typ, strings.Join(lines, "\n") + "\n" + typ + "\n" + pyBytesRepr(value)
}

// pyBytesRepr is Python's repr() of an ASCII bytes value (the quote it
// picks, and the escapes the test messages can hold).
func pyBytesRepr(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = `"`
	}
	r := strings.NewReplacer(`\`, `\\`, q, `\`+q, "\n", `\n`, "\t", `\t`)
	return "b" + q + r.Replace(s) + q
}

// The same real pytest failures as pytest-ibutsu sends them: only the end
// of the traceback, so fewer frames than the full text gives (the JSON
// failure keeps only json's decoder.py), the same type and message.
var wantPytestIbutsu = map[string]string{
	"test_assert_dict": "AssertionError\nassert <n> == <n>\nat test_sample.py",
	"test_connection":  "ConnectionError\nGET /api/run/<n> failed: request <uuid> timed out after <n>s at <hex>\nat test_sample.py",
	"test_tempfile":    "FileNotFoundError\n[Errno <n>] No such file or directory: '<tmp>/missing/conf.json'\nat test_sample.py",
	"test_json":        "JSONDecodeError\nExpecting property name enclosed in double quotes: line <n> column <n> (char <n>)\nat decoder.py",
}

func TestFingerprintsOfPytestIbutsuShortTB(t *testing.T) {
	one, two := pytestFailures(t, "pytest-run1.xml"), pytestFailures(t, "pytest-run2.xml")
	if len(one) != len(wantPytestIbutsu) || len(two) != len(one) {
		t.Fatalf("%d and %d failures, want %d", len(one), len(two), len(wantPytestIbutsu))
	}
	seen := map[string]string{}
	for i, f := range one {
		typ, tb := pytestIbutsuShortTB(f)
		a, ok := Compute(Input{Status: "failed", Exception: typ, Text: tb})
		if !ok {
			t.Fatalf("%s: no fingerprint", f.name)
		}
		typ2, tb2 := pytestIbutsuShortTB(two[i])
		if b, _ := Compute(Input{Status: "failed", Exception: typ2, Text: tb2}); a.Hash != b.Hash {
			t.Errorf("%s: the two runs differ:\n%s\n--- vs ---\n%s", f.name, a.Text, b.Text)
		}
		if other, dup := seen[a.Hash]; dup {
			t.Errorf("%s and %s share a fingerprint", f.name, other)
		}
		seen[a.Hash] = f.name
		if w := wantPytestIbutsu[f.name]; w != a.Text {
			t.Errorf("%s: short_tb\n%s\nnormalised\n%s\nwant\n%s", f.name, tb, a.Text, w)
		}
	}
	// The shape, on the first failure: what pytest-ibutsu would send.
	if _, tb := pytestIbutsuShortTB(one[0]); tb != ">       assert got[\"status\"] == 200\nE       assert 500 == 200\n\ntest_sample.py:14: AssertionError\nAssertionError\nb'assert 500 == 200'" {
		t.Errorf("short_tb of %s:\n%s", one[0].name, tb)
	}
}
