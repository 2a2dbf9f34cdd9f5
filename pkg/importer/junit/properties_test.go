package junit

import (
	"fmt"
	"strings"
	"testing"
)

// props writes n <properties> entries named prefix0… with value v.
func props(prefix string, n int, v string) string {
	var b strings.Builder
	b.WriteString("<properties>")
	for i := range n {
		fmt.Fprintf(&b, `<property name="%s%d" value="%s"/>`, prefix, i, v)
	}
	b.WriteString("</properties>")
	return b.String()
}

// Every result gets a copy of the properties of its root and suites, so
// they are bounded per case (MaxProperties): in one block, summed along the
// chain of suites (each under the bound alone), and in a case's own; empty
// properties count too. Reports under the bound parse as before.
func TestPropertiesAreBoundedPerCase(t *testing.T) {
	big := strings.Repeat("v", 1000)
	cases := []struct {
		name, doc string
		ok        bool
	}{
		{"one block", `<testsuite name="s">` + props("k", 70, big) + `<testcase name="c"/></testsuite>`, false},
		{"along the chain", `<testsuites>` + props("r", 30, big) + `<testsuite name="a">` + props("a", 30, big) +
			`<testsuite name="b">` + props("b", 10, big) + `<testcase name="c"/></testsuite></testsuite></testsuites>`, false},
		{"empty ones", `<testsuite name="s">` + strings.Repeat(`<properties>`+strings.Repeat(`<property name="" value=""/>`, 1000)+`</properties>`, 5) +
			`<testcase name="c"/></testsuite>`, false},
		{"a case's own", `<testsuite name="s"><testcase name="c">` + props("k", 70, big) + `</testcase></testsuite>`, false},
		{"siblings each under the bound", `<testsuites><testsuite name="a">` + props("a", 40, big) + `<testcase name="c"/></testsuite>` +
			`<testsuite name="b">` + props("b", 40, big) + `<testcase name="c"/></testsuite></testsuites>`, true},
		{"root testsuite counted once", `<testsuite name="s">` + props("k", 50, big) + `<testcase name="c"/></testsuite>`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseWith(strings.NewReader(c.doc), discard{}, Options{MaxText: 5 << 20, MaxMarkup: 1 << 20})
			if c.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !c.ok && (err == nil || !strings.Contains(err.Error(), "properties a test case would carry take more than 65536 bytes")) {
				t.Fatalf("err = %v, want the properties bound", err)
			}
		})
	}
}

// Each case inheriting a bounded set is not enough: 40 KiB of suite
// properties over 3000 short cases would store 120 MiB of copies from a
// report of a little over 100 KiB. The copies over all cases are bounded by
// the report's size.
func TestCarriedPropertiesAreBoundedByTheReportSize(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<testsuite name="s">` + props("k", 40, strings.Repeat("v", 1000)))
	for i := range 3000 {
		fmt.Fprintf(&b, `<testcase name="c%d"/>`, i)
	}
	b.WriteString(`</testsuite>`)
	_, err := ParseWith(strings.NewReader(b.String()), discard{}, Options{MaxText: 5 << 20, MaxMarkup: 1 << 20})
	if err == nil || !strings.Contains(err.Error(), "times the report's size") {
		t.Fatalf("err = %v, want the bound on copies", err)
	}
	// The same properties over 1000 cases stay under it.
	ok := `<testsuite name="s">` + props("k", 40, strings.Repeat("v", 1000)) + strings.Repeat(`<testcase name="c"/>`, 1000) + `</testsuite>`
	if _, err := ParseWith(strings.NewReader(ok), discard{}, Options{}); err != nil {
		t.Fatalf("1000 cases: %v", err)
	}
}
