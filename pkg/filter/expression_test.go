package filter

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestExpression(t *testing.T) {
	tests := []struct {
		d     Dialect
		table Table
		field string
		sql   string
		args  []any
		ok    bool
	}{
		{Postgres, Results, "component", `"component"`, nil, true},
		{Postgres, Results.As("r"), "env", `"r"."env"`, nil, true},
		{Postgres, Results, "metadata.assignee", `("data" ->> ?::text)`, []any{"assignee"}, true},
		{Postgres, Results, "data.jenkins.job_name", `("data" -> ?::text ->> ?::text)`, []any{"jenkins", "job_name"}, true},
		{Postgres, Results, "metadata.tags", `("data" -> ?::text)`, []any{"tags"}, true},
		{Postgres, Runs, "summary.failures",
			`(CASE WHEN jsonb_typeof(("summary" -> ?::text)) = 'number' THEN CAST(("summary" ->> ?::text) AS numeric) END)`,
			[]any{"failures", "failures"}, true},
		{SQLite, Results, "metadata.tags", `json_extract("data", ?)`, []any{`$."tags"`}, true},
		{SQLite, Runs, "summary.tests",
			`(CASE WHEN json_type("summary", ?) IN ('integer', 'real') THEN json_extract("summary", ?) END)`,
			[]any{`$."tests"`, `$."tests"`}, true},
		{Postgres, Results, "nope", "", nil, false},
		{Postgres, Results, "summary.failures", "", nil, false},
		{Postgres, Users, "_password", "", nil, false},
		{SQLite, Results, `metadata.a"b`, "", nil, false},
		{SQLite, Results, "metadata.a b", "", nil, false},
		{SQLite, Results, "", "", nil, false},
	}
	for _, tt := range tests {
		sql, args, ok, err := Expression(tt.d, tt.table, tt.field)
		if err != nil || ok != tt.ok || sql != tt.sql || !reflect.DeepEqual(args, tt.args) {
			t.Errorf("Expression(%v, %s, %q) = %s, %#v, %v, %v; want %s, %#v, %v",
				tt.d, tt.table.Name, tt.field, sql, args, ok, err, tt.sql, tt.args, tt.ok)
		}
	}
}

// TestExpressionExecute groups real rows by JSON fields on both databases.
func TestExpressionExecute(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			d := db.open(t)
			group := func(tb Table, field string) string {
				t.Helper()
				expr, args, ok, err := Expression(d.dialect, tb, field)
				if err != nil || !ok {
					t.Fatalf("Expression(%q): %v %v", field, ok, err)
				}
				var rows []struct {
					K *string
					N int
				}
				q := "SELECT CAST(" + expr + " AS TEXT) AS k, COUNT(*) AS n FROM " + tb.Name + " GROUP BY 1"
				if err := d.gorm.Raw(q, args...).Scan(&rows).Error; err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				var out []string
				for _, r := range rows {
					k := "<nil>"
					if r.K != nil {
						k = *r.K
					}
					out = append(out, k+"="+strings.Repeat("x", r.N))
				}
				slices.Sort(out) // NULLs sort differently per database
				return strings.Join(out, " ")
			}
			if got, want := group(Results, "metadata.env"), "<nil>=xx prod=x qa=x"; got != want {
				t.Errorf("group by metadata.env = %q, want %q", got, want)
			}
			if got, want := group(Results, "data.jenkins.job_name"), "<nil>=xx nightly=xx"; got != want {
				t.Errorf("group by metadata.jenkins.job_name = %q, want %q", got, want)
			}
			var sum float64
			expr, args, _, _ := Expression(d.dialect, Runs, "summary.failures")
			if err := d.gorm.Raw("SELECT CAST(SUM(COALESCE("+expr+", 0)) AS REAL) FROM runs", args...).Scan(&sum).Error; err != nil || sum != 1 {
				t.Errorf("sum of summary.failures = %v, %v; want 1 (non-numbers count as 0)", sum, err)
			}
		})
	}
}
