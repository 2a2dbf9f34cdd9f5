package filter

import (
	"errors"
	"strings"
	"testing"
)

// injections are hostile filter strings: quotes, statement separators and
// comments in values, fields and JSON keys, for every operator.
var injections = []string{
	"result='; drop table results; --",
	"result=' OR '1'='1",
	`result=" OR ""="`,
	"result!'; drop table results; --",
	"result*a');drop table results;--;b",
	"test_id~'); DROP TABLE results; --",
	"test_id~'; DROP TABLE results; --",
	"test_id%'; drop table results; --",
	"test_id%%' OR 1=1 --",
	"env@'; drop table results; --",
	"duration>1; drop table results",
	"duration*1;drop table results",
	"project_id='; drop table results; --",
	"id~'; drop table results; --",
	"start_time>2024-01-01'; drop table results; --",
	"metadata.env='; drop table results; --",
	"metadata.x'); drop table results; --=1",
	"metadata.a=1' OR '1'='1",
	`metadata.tags="]'; drop table results; --`,
	"metadata.tags=1; drop table results",
	"metadata.tags*x'; drop table results; --;y",
	"metadata.env-'--.x=1",
	"metadata.a-b.c_d--=1",
	"data.$.x=1",
	"summary.failures>1; drop table runs",
	"summary.failures=1)) OR ((1=1",
	"summary.x'::int=1",
	`"result"=x`,
	"result;drop table results=1",
	"results.result=failed",
	"id=1 OR 1=1",
	"$1=x",
	"?=x",
	"result=?",
	"result=$1",
	"metadata.x=?::text",
}

func TestInjection(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			d := db.open(t)
			for _, f := range injections {
				for _, tb := range []struct {
					table Table
					label string
				}{{Results, "test_id"}, {Runs, "component"}} {
					// Results may legitimately vary (`env@'…` is "env IS
					// NULL"); the only acceptable errors are a rejected pattern.
					_, err := selectNames(d, tb.table, tb.label, []string{f})
					if err != nil && !errors.Is(err, ErrInvalid) && !IsInvalidPattern(err) {
						t.Errorf("%q on %s: %v", f, tb.table.Name, err)
					}
				}
			}
			// Nothing was dropped or changed.
			for table, want := range map[string]int64{"results": 4, "runs": 4, "widget_configs": 4, "users": 2} {
				var n int64
				if err := d.gorm.Table(table).Count(&n).Error; err != nil || n != want {
					t.Fatalf("table %s after injections: %d rows, %v; want %d", table, n, err, want)
				}
			}
			checkCases(t, d, Results, "test_id", resultCases[:4])
		})
	}
}

// TestInjectionSQLText checks the generated SQL directly: no hostile text
// from these strings' values ever appears in it.
func TestInjectionSQLText(t *testing.T) {
	for _, d := range []Dialect{Postgres, SQLite} {
		for _, f := range injections {
			sql, _, err := Build(d, Runs, []string{f})
			if errors.Is(err, ErrInvalid) {
				continue // refused outright: nothing reaches SQL
			}
			if err != nil {
				t.Errorf("%v %q: %v", d, f, err)
				continue
			}
			for _, bad := range []string{"drop", "DROP", "--", ";", "1=1", "$"} {
				if strings.Contains(sql, bad) {
					t.Errorf("%v %q: SQL contains %q: %s", d, f, bad, sql)
				}
			}
		}
	}
}
