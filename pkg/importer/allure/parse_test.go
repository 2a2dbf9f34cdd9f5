package allure

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func parse(t *testing.T, b []byte, opt Options) ([]*tcase.Case, *Run) {
	t.Helper()
	var cases []*tcase.Case
	run, err := Parse(parsertest.Bytes(b), opt, parsertest.Collect(&cases))
	if err != nil {
		t.Fatal(err)
	}
	return cases, run
}

func TestAllureMocha(t *testing.T) {
	cases, run := parse(t, parsertest.ReadFile(t, "allure-mocha.tar.gz"), Options{MaxText: 1 << 20})
	m := map[string]*tcase.Case{}
	n := map[tcase.Status]int{}
	for _, c := range cases {
		m[c.Name] = c
		n[c.Status]++
	}
	if len(cases) != 8 || n[tcase.Passed] != 4 || n[tcase.Failed] != 1 || n[tcase.Errored] != 1 || n[tcase.Skipped] != 2 || run.Passes != 3 || run.Containers != 2 {
		t.Fatalf("%d cases %v, run %+v", len(cases), n, run)
	}
	add := m["adds an item"]
	lb := add.Properties["labels"].(map[string]any)
	if add.TestID != "sample:test/cart.spec.js: cart > adds an item" || strings.Join(add.Suite, "/") != "cart" || strings.Join(add.Tags, ",") != "smoke,cart" ||
		lb["epic"] != "Shop" || lb["severity"] != "critical" || lb["owner"] != "qa-team" || add.Properties["parameters"].(map[string]any)["item"] != "apple" ||
		add.Properties["description"] != "The cart holds what was added." || add.Start.IsZero() {
		t.Fatalf("adds an item %+v", add)
	}
	if len(add.Attachments) != 1 || add.Attachments[0].Name != "cart.json" || string(add.Attachments[0].Data) != `["apple"]` {
		t.Errorf("attachments %+v", add.Attachments)
	}
	tot := m["totals the prices"]
	am := tot.Properties["allure"].(map[string]any)
	if tot.Status != tcase.Failed || tot.Message != "total is wrong" || tot.ExceptionType != "AssertionError" || am["retries"] != 1 {
		t.Errorf("totals %+v", tot)
	}
	if br := m["breaks on a bad item"]; br.Status != tcase.Errored || br.ExceptionType != "TypeError" || !strings.Contains(br.Traceback, "cart.spec.js:43") {
		t.Errorf("broken %+v", br)
	}
	fl := m["is flaky and passes on retry"]
	if fl.Status != tcase.Passed || fl.Properties["flaky"] != true || len(fl.Attachments) != 1 || string(fl.Attachments[0].Data) != "run 2" {
		t.Errorf("flaky %+v", fl)
	}
	if sk := m["is skipped at run time"]; sk.Status != tcase.Skipped || sk.SkipReason != "Test skipped" {
		t.Errorf("skipped %+v", sk)
	}
	if pay := m["pays by cash"]; pay.Properties["parameters"].(map[string]any)["method"] != "cash" || len(pay.Attachments) != 1 || pay.Attachments[0].ContentType != "image/png" {
		t.Errorf("pays by cash %+v", pay)
	}
	if run.Start.IsZero() || !run.Stop.After(run.Start) {
		t.Errorf("run times %+v", run)
	}
}

func tarOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, n := range slices.Sorted(maps.Keys(files)) {
		_ = tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg})
		_, _ = tw.Write([]byte(files[n]))
	}
	_ = tw.Close()
	_ = zw.Close()
	return buf.Bytes()
}

// Hand-written: a known failure is xfailed, the attachment budget, a
// failed fixture, environment.properties, broken archives.
func TestEdgeCases(t *testing.T) {
	b := tarOf(t, map[string]string{
		"r/1-result.json":          `{"uuid":"1","historyId":"h1","name":"known","fullName":"a.known","status":"failed","statusDetails":{"known":true,"message":"bug 7"},"start":1000,"stop":3500,"attachments":[{"name":"big","source":"x-attachment.txt","type":"text/plain"},{"name":"small","source":"y-attachment.txt"}]}`,
		"r/c-container.json":       `{"uuid":"c","children":["1"],"befores":[{"name":"setup","status":"broken","statusDetails":{"message":"db down"}}]}`,
		"r/x-attachment.txt":       strings.Repeat("x", 5000),
		"r/y-attachment.txt":       "y",
		"r/environment.properties": "# comment\nbrowser=firefox\nos: linux\n",
	})
	cases, run := parse(t, b, Options{MaxText: 1000})
	if len(cases) != 1 {
		t.Fatalf("%d cases", len(cases))
	}
	c := cases[0]
	if c.Status != tcase.XFailed || c.Duration != 2.5 || c.Message != "bug 7" || run.Environment["browser"] != "firefox" || run.Environment["os"] != "linux" ||
		c.Properties["allure"].(map[string]any)["fixture_failures"].([]any)[0] != "setup: db down" {
		t.Errorf("%+v %+v", c, run)
	}
	if len(c.Attachments) != 2 || !c.Attachments[0].Truncated || c.Attachments[0].Data != nil || string(c.Attachments[1].Data) != "y" || c.Attachments[1].Name != "small.txt" {
		t.Errorf("attachments %+v", c.Attachments)
	}
	parsertest.BrokenCases(t, "Allure", map[string]string{
		"not tar":  "hello",
		"bad json": string(tarOf(t, map[string]string{"a-result.json": `{"uuid":`})),
		"empty":    string(tarOf(t, map[string]string{})),
	}, func(doc string) error {
		_, err := Parse(parsertest.Bytes([]byte(doc)), Options{}, parsertest.Discard)
		return err
	})
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, 0, "allure-mocha.tar.gz")
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Parse(parsertest.Bytes(b), Options{MaxText: 4096, MaxValue: 1 << 16, Budget: 1 << 16, MaxMembers: 1000}, parsertest.Statused(t))
	})
}

// TestSpill: the kept attachments wait in a spill file that is removed
// afterwards, or in memory when no file can be created; both hand out the
// same bytes, and the budget still lists the ones past it.
func TestSpill(t *testing.T) {
	files := map[string]string{}
	for _, i := range []string{"1", "2", "3"} {
		files["r/"+i+"-result.json"] = `{"uuid":"` + i + `","historyId":"h` + i + `","name":"t` + i + `","status":"passed","attachments":[{"name":"log","source":"a` + i + `-attachment.txt","type":"text/plain"}]}`
		files["r/a"+i+"-attachment.txt"] = strings.Repeat(i, 100)
	}
	b := tarOf(t, files)
	dir := t.TempDir()
	for name, tmp := range map[string]string{"spill file": dir, "memory": dir + "/missing"} {
		cases, _ := parse(t, b, Options{Budget: 250, TempDir: tmp})
		kept := 0
		for _, c := range cases {
			if len(c.Attachments) != 1 {
				t.Fatalf("%s: %+v", name, c)
			}
			if d := c.Attachments[0].Data; d != nil {
				kept++
				if len(d) != 100 || strings.Trim(string(d), string(d[0])) != "" {
					t.Errorf("%s: attachment %q", name, d)
				}
			}
		}
		if kept != 2 {
			t.Errorf("%s: %d attachments kept within a 250-byte budget, want 2", name, kept)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("%s: spill files left behind: %v", name, left)
		}
	}
}
