package listing

import (
	"errors"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

var testFields = SortFields{Columns: []string{"start_time", "duration"}, NumericJSON: map[string]string{"summary": "summary"}}

func TestParseSort(t *testing.T) {
	s, err := ParseSort(" -start_time , +duration,summary.failures ", testFields)
	if err != nil {
		t.Fatal(err)
	}
	want := []SortKey{
		{Field: "start_time", Desc: true, column: `"start_time"`},
		{Field: "duration", column: `"duration"`},
		{Field: "summary.failures", column: `"summary"`, jsonKey: "failures"},
	}
	if len(s.Keys) != len(want) {
		t.Fatalf("keys %+v", s.Keys)
	}
	for i := range want {
		if s.Keys[i] != want[i] {
			t.Errorf("key %d: %+v, want %+v", i, s.Keys[i], want[i])
		}
	}
	if s, err := ParseSort("", testFields); err != nil || !s.IsZero() {
		t.Fatalf("empty sort: %+v %v", s, err)
	}
}

func TestParseSortRejects(t *testing.T) {
	for _, raw := range []string{
		"nope", "-", ",", "duration,", "start_time,start_time", "summary", "summary.", "summary.a.b",
		`summary.a"b`, "summary.a'b", "metadata.env", "duration;DROP TABLE runs", `"duration"`,
		"a,b,c,d,e,f", "start_time,duration,summary.a,summary.b,summary.c,summary.d",
	} {
		_, err := ParseSort(raw, testFields)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Status != 400 {
			t.Errorf("ParseSort(%q) = %v, want a 400", raw, err)
		}
	}
}

func TestSortOrderBy(t *testing.T) {
	s, err := ParseSort("-summary.pass_percent,duration", testFields)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []db.Dialect{db.Postgres, db.SQLite} {
		e := s.orderByExpr(d)
		if strings.Contains(e.SQL, "pass_percent") {
			t.Errorf("%s: the JSON key must be bound, not written: %s", d, e.SQL)
		}
		if !strings.HasSuffix(e.SQL, `"duration" ASC NULLS LAST, "id" ASC`) || !strings.Contains(e.SQL, "DESC NULLS LAST") {
			t.Errorf("%s: %s", d, e.SQL)
		}
		if len(e.Vars) != 2 {
			t.Errorf("%s: vars %v", d, e.Vars)
		}
	}
}
