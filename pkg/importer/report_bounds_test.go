package importer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// Elements nested without end in an XML report, where each parser only
// skips them, still grew the decoder's stack of open elements with the
// input (30 MB: about 600 MiB of heap; see junit.MaxNesting), and arrays
// nested in a CTRF report grew json.Decoder's token stack the same way.
// Each format now refuses the report at its bound: the import ends in
// error naming the nesting, and nothing of it is stored.
func TestDeeplyNestedReportsAreRefused(t *testing.T) {
	deep := strings.Repeat("<x>", 5000) + strings.Repeat("</x>", 5000)
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		e.CreateProject("p1", e.Admin)
		cases := []struct{ name, file, doc string }{
			{"JUnit", "deep.xml", `<testsuite name="s"><testcase classname="a.B" name="t">` + deep + `</testcase></testsuite>`},
			{"NUnit", "deep.xml", `<test-run id="1" testcasecount="0">` + deep + `</test-run>`},
			{"xUnit.net", "deep.xml", `<assemblies>` + deep + `</assemblies>`},
			{"CTRF", "deep.json", `{"results":{"tool":{"name":"t"},"tests":[{"name":"a","status":"passed","duration":1}],"extra":` +
				strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}}`},
			{"TRX", "deep.trx", `<TestRun id="1" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">` + deep + `</TestRun>`},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				imp := importFile(t, e, c.file, []byte(c.doc), map[string]string{"project": "p1"})
				md, _ := imp["metadata"].(map[string]any)
				msg, _ := md["error"].(string)
				if imp["status"] != "error" || !strings.Contains(msg, "nested deeper than") {
					t.Fatalf("import %v, want an error naming the nesting", imp)
				}
				if n := chunksOf(t, e, imp["id"].(string)); n != 0 {
					t.Errorf("%d chunks of the failed import left", n)
				}
			})
		}
		var runs int64
		if err := e.App.DB.Conn(t.Context()).Table("runs").Count(&runs).Error; err != nil || runs != 0 {
			t.Fatalf("%d runs stored (%v)", runs, err)
		}
	})
}

// A suite's properties are copied into the metadata of every result below
// it (JUnit: into the metadata; NUnit: metadata.properties): 2000
// properties over 2000 cases (140 KB of report) took 8 s and stored 13 MB
// of metadata, growing with the product of the two. Past
// junit.MaxProperties per case, or the bound on the copies over all cases,
// the import ends in error naming it, and nothing of it is stored.
func TestSuitePropertiesCannotMultiplyAcrossResults(t *testing.T) {
	report := func(open, prop, tc, closing string) []byte {
		var b strings.Builder
		b.WriteString(open)
		for i := range 2000 {
			fmt.Fprintf(&b, prop, i)
		}
		b.WriteString(`</properties>`)
		for i := range 2000 {
			fmt.Fprintf(&b, tc, i)
		}
		b.WriteString(closing)
		return []byte(b.String())
	}
	cases := []struct {
		name string
		doc  []byte
	}{
		{"JUnit", report(`<testsuite name="s"><properties>`, `<property name="k%05d" value="v"/>`, `<testcase name="c%d" classname="k"/>`, `</testsuite>`)},
		{"NUnit", report(`<test-run id="1"><test-suite type="Assembly" name="a"><properties>`, `<property name="k%05d" value="v"/>`,
			`<test-case name="c%d" fullname="k.c" result="Passed"/>`, `</test-suite></test-run>`)},
	}
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		e.CreateProject("p1", e.Admin)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				imp := importFile(t, e, "props.xml", c.doc, map[string]string{"project": "p1"})
				md, _ := imp["metadata"].(map[string]any)
				msg, _ := md["error"].(string)
				if imp["status"] != "error" || !strings.Contains(msg, "properties a test case would carry") {
					t.Fatalf("import %v, want an error naming the properties bound", imp)
				}
			})
		}
		var n int64
		if err := e.App.DB.Conn(t.Context()).Table("results").Count(&n).Error; err != nil || n != 0 {
			t.Fatalf("%d results stored (%v)", n, err)
		}
	})
}
