package junit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// collect is a Handler that keeps what it is handed.
type collect struct {
	root  *Root
	cases []*Case
}

func (c *collect) Root(r *Root) error { c.root = r; return nil }
func (c *collect) Case(k *Case) error { c.cases = append(c.cases, k); return nil }

func parseFile(t *testing.T, name string) (*collect, *Report, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	c := &collect{}
	rep, err := Parse(f, c)
	return c, rep, err
}

func statuses(cs []*Case) string {
	var b []string
	for _, c := range cs {
		b = append(b, string(c.Status))
	}
	return strings.Join(b, ",")
}

func TestParseDialects(t *testing.T) {
	tests := []struct {
		file     string
		statuses string
		suites   int
		sums     Counts
	}{
		{"fx01-single-suite.xml", "passed,failed,error,skipped,passed,passed", 1, Counts{Tests: 6, Failures: 1, Errors: 1, Skipped: 1, Time: 12.5}},
		{"fx02-multi.xml", "passed,failed,passed,skipped,passed", 2, Counts{Tests: 5, Failures: 1, Skipped: 1, Time: 7.5}},
		{"fx04-xfail.xml", "xfailed,xpassed,failed,skipped", 1, Counts{Tests: 4, Failures: 1, XFailures: 1, XPasses: 1, Time: 4}},
		{"surefire.xml", "passed,failed,error,passed,skipped", 1, Counts{Tests: 5, Failures: 1, Errors: 1, Skipped: 1, Time: 1234.5}},
		{"jest-junit.xml", "passed,failed,skipped", 1, Counts{Tests: 3, Failures: 1, Skipped: 1, Time: 1.2}},
		{"go-junit-report.xml", "passed,passed,failed,skipped", 1, Counts{Tests: 4, Failures: 1, Skipped: 1, Time: 0.512}},
		{"nextest.xml", "passed,passed,failed", 1, Counts{Tests: 3, Failures: 1}},
		{"pytest-legacy.xml", "passed,passed,skipped", 1, Counts{Tests: 3, Skipped: 1, Time: 0.05}},
		{"nested.xml", "passed,failed,passed", 2, Counts{Tests: 3, Failures: 1, Time: 3}},
		{"empty.xml", "", 1, Counts{}},
		{"latin1.xml", "passed", 1, Counts{Tests: 1, Time: 1}},
		{"dtd-only.xml", "passed", 1, Counts{Tests: 1}},
		{"upstream/collection.xml", "passed", 1, Counts{Tests: 1, Time: 2335.183}},
		{"upstream/combined.xml", strings.TrimSuffix(strings.Repeat("x,", 0), ","), 1, Counts{Tests: 164, Skipped: 29, Time: 3911.311}},
		{"upstream/empty-testsuite.xml", "passed", 2, Counts{Tests: 1, Time: 15.943}},
		{"upstream/sample_test_data.xml", "", 4, Counts{Tests: 10, Failures: 2, Errors: 1, Skipped: 1, Time: 469.683}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, rep, err := parseFile(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if c.root == nil || rep.Root != c.root {
				t.Fatal("root not handed out")
			}
			if tt.statuses != "" && statuses(c.cases) != tt.statuses {
				t.Errorf("statuses %s, want %s", statuses(c.cases), tt.statuses)
			}
			if rep.Cases != len(c.cases) || rep.Suites != tt.suites {
				t.Errorf("cases %d/%d suites %d want %d", rep.Cases, len(c.cases), rep.Suites, tt.suites)
			}
			got := rep.SuiteSums
			got.Time = float64(int64(got.Time*1000+0.5)) / 1000
			if got != tt.sums {
				t.Errorf("suite sums %+v, want %+v", got, tt.sums)
			}
		})
	}
}

func TestParseCaseDetails(t *testing.T) {
	c, _, err := parseFile(t, "fx01-single-suite.xml")
	if err != nil {
		t.Fatal(err)
	}
	two, four := c.cases[1], c.cases[3]
	if two.Traceback != "Traceback: boom" || two.SystemOut == nil || *two.SystemOut != "captured stdout" || two.SystemErr != nil {
		t.Errorf("test_two: %+v", two)
	}
	if two.Message != "m" || c.cases[2].Message != "e" || c.cases[0].Message != "" {
		t.Errorf("failure/error messages %q %q %q", two.Message, c.cases[2].Message, c.cases[0].Message)
	}
	if four.SkipReason != "skip: platform" {
		t.Errorf("skip reason %q (text wins over message)", four.SkipReason)
	}
	g, _, _ := parseFile(t, "go-junit-report.xml")
	if g.cases[1].Name != "TestParse/sub.case_1" || g.cases[3].SkipReason != "    pkg_test.go:20: skipping in short mode" {
		t.Errorf("go-junit-report: %+v", g.cases[3])
	}
	j, _, _ := parseFile(t, "jest-junit.xml")
	if j.cases[2].SkipReason != "" || !strings.Contains(j.cases[1].Traceback, "Object.<anonymous>") {
		t.Errorf("jest: %q %q", j.cases[2].SkipReason, j.cases[1].Traceback)
	}
	n, _, _ := parseFile(t, "nextest.xml")
	if n.cases[2].Traceback != "thread 'tests::fails' panicked at src/lib.rs:10:5" || *n.cases[2].SystemErr != "panic details" || n.cases[2].Type != "test failure" {
		t.Errorf("nextest: %+v", n.cases[2])
	}
	l, _, _ := parseFile(t, "latin1.xml")
	if l.cases[0].Classname != "café.T" || l.cases[0].Name != "test_été" || *l.cases[0].SystemOut != "naïve" {
		t.Errorf("latin1 not decoded: %q %q", l.cases[0].Classname, l.cases[0].Name)
	}
	s, rep, _ := parseFile(t, "surefire.xml")
	if len(rep.Root.Properties) != 0 || len(s.cases[0].Suite.Properties) != 0 {
		t.Errorf("a JVM dump's name= properties must be ignored: %+v", rep.Root.Properties)
	}
	ns, _, _ := parseFile(t, "nested.xml")
	if ns.cases[0].Suite.Name != "inner" || ns.cases[0].Suite.Parent.Name != "outer" || *ns.cases[0].Line != "3" {
		t.Errorf("nested: %+v", ns.cases[0])
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		file string
		want string
		line int
	}{
		{"malformed.xml", "element <testcase> closed by </testsuite>", 5},
		{"truncated.xml", "unexpected EOF", 5},
		{"nosuite.xml", "holds no <testsuite>", 1},
		{"xxe.xml", "invalid character entity &xxe;", 3},
		{"laughs.xml", "invalid character entity &lol3;", 7},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, _, err := parseFile(t, tt.file)
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("want *Error, got %v", err)
			}
			if !strings.Contains(pe.Msg, tt.want) || pe.Line != tt.line || !strings.Contains(pe.Error(), "byte offset") {
				t.Errorf("got %q (line %d), want %q at line %d", pe.Error(), pe.Line, tt.want, tt.line)
			}
			for _, k := range c.cases {
				if k.SystemOut != nil && strings.Contains(*k.SystemOut, "root:") {
					t.Fatal("external entity was expanded")
				}
			}
		})
	}
	for _, doc := range []string{"", "   ", "<other/>", `<testsuite tests="many"/>`, `<testsuite><testcase time="soon"/></testsuite>`, `<testsuite/><testsuite/>`,
		strings.Repeat("<testsuite>", maxSuiteDepth+5)} {
		if _, err := Parse(strings.NewReader(doc), &collect{}); err == nil {
			t.Errorf("%q: want an error", doc)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	for in, want := range map[string]string{
		"2024-05-01T10:00:00":              "2024-05-01T10:00:00Z",
		"2024-05-01T10:00:00.5+02:00":      "2024-05-01T08:00:00.5Z",
		"2024-05-01 10:00:00":              "2024-05-01T10:00:00Z",
		"2024-05-01T10:00:00Z":             "2024-05-01T10:00:00Z",
		"2024-05-01T10:00:00+0200":         "2024-05-01T08:00:00Z",
		"Wed, 01 May 2024 10:00:00 GMT":    "2024-05-01T10:00:00Z",
		"Wed May  1 10:00:00 UTC 2024":     "2024-05-01T10:00:00Z",
		"2024-02-10T09:15:30.123456+00:00": "2024-02-10T09:15:30.123456Z",
	} {
		got, ok := ParseTimestamp(in)
		if !ok || got.Format("2006-01-02T15:04:05.999999Z07:00") != want {
			t.Errorf("%q → %v %v, want %s", in, got, ok, want)
		}
	}
	if _, ok := ParseTimestamp("yesterday"); ok {
		t.Error("garbage must not parse")
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../testdata/*.xml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &collect{}
		rep, err := Parse(strings.NewReader(string(data)), c)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error is not *Error: %v", err)
			}
			return
		}
		if rep.Root == nil || rep.Cases != len(c.cases) {
			t.Fatalf("inconsistent report: %+v", rep)
		}
		for _, k := range c.cases {
			if k.Suite == nil || k.Status == "" {
				t.Fatalf("incomplete case %+v", k)
			}
		}
	})
}

func TestNamedProperties(t *testing.T) {
	doc := `<testsuite name="s">
  <properties><property name="go.version" value="go1.22"/><property key="k" name="ignored-name" value="kv"/></properties>
  <testcase name="t"><properties><property name="record" value="r1"/></properties></testcase>
  <testsuite name="jvm"><properties><property name="java.version" value="17"/><property name="os.name" value="Linux"/><property key="kept" value="1"/></properties>
    <testcase name="u"/></testsuite>
</testsuite>`
	c := &collect{}
	rep, err := Parse(strings.NewReader(doc), c)
	if err != nil {
		t.Fatal(err)
	}
	got := func(ps []Property) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Key+"="+*p.Value)
		}
		return strings.Join(s, ",")
	}
	if g := got(rep.Root.Properties); g != "k=kv,go.version=go1.22" {
		t.Errorf("root properties %s", g)
	}
	if g := got(c.cases[0].Properties); g != "record=r1" {
		t.Errorf("case properties %s", g)
	}
	if g := got(c.cases[1].Suite.Properties); g != "kept=1" {
		t.Errorf("a JVM dump's name= properties: %s", g)
	}
	g, _, _ := parseFile(t, "go-junit-report.xml")
	if gp := got(g.cases[0].Suite.Properties); !strings.Contains(gp, "go.version=go1.22.0 linux/amd64") {
		t.Errorf("go-junit-report properties %s", gp)
	}
}
