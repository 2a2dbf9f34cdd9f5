package filter

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// sqlWords is every bare word Build may write: keywords, functions, types,
// the json_each alias and its columns, and the digits of `1=0`/`SELECT 1`.
var sqlWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`CASE WHEN THEN ELSE END CAST AS text TEXT numeric uuid timestamp boolean
		jsonb IS NOT NULL OR AND IN ILIKE LIKE ESCAPE REGEXP lower json_type json_extract json_each
		jsonb_typeof jsonb_exists_any ARRAY EXISTS SELECT FROM WHERE je type value 1 0`) {
		m[w] = true
	}
	return m
}()

// sqlLiterals is every string literal Build may write.
var sqlLiterals = map[string]bool{
	"'null'": true, "'true'": true, "'false'": true, "'number'": true, "'integer'": true,
	"'real'": true, "'object'": true, "'text'": true, `'\'`: true,
}

// sqlPunct is every operator character Build may write.
const sqlPunct = "()?,=<>~@-:.[]"

// checkSQL verifies that sql is made only of this package's vocabulary and
// t's column names, and that placeholders and args agree.
func checkSQL(t *testing.T, tb Table, sql string, args []any) {
	t.Helper()
	placeholders := 0
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ' ':
			i++
		case c == '"':
			j := strings.IndexByte(sql[i+1:], '"')
			if j < 0 {
				t.Fatalf("unterminated identifier in %s", sql)
			}
			name := sql[i+1 : i+1+j]
			if _, ok := tb.Columns[name]; !ok && name != tb.Qualifier {
				t.Fatalf("identifier %q is not a column of %s: %s", name, tb.Name, sql)
			}
			i += j + 2
		case c == '\'':
			j := strings.IndexByte(sql[i+1:], '\'')
			if j < 0 {
				t.Fatalf("unterminated literal in %s", sql)
			}
			if lit := sql[i : i+j+2]; !sqlLiterals[lit] {
				t.Fatalf("unexpected literal %s in %s", lit, sql)
			}
			i += j + 2
		case isWordChar(c):
			j := i
			for j < len(sql) && isWordChar(sql[j]) {
				j++
			}
			if !sqlWords[sql[i:j]] {
				t.Fatalf("unexpected word %q in %s", sql[i:j], sql)
			}
			i = j
		case strings.IndexByte(sqlPunct, c) >= 0:
			if c == '?' {
				placeholders++
			}
			i++
		default:
			t.Fatalf("unexpected character %q in %s", c, sql)
		}
	}
	if placeholders != len(args) {
		t.Fatalf("%d placeholders but %d args: %s", placeholders, len(args), sql)
	}
}

func isWordChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// textOps are the operators that bind a text value unchanged.
var textOps = map[Op]bool{OpEq: true, OpNe: true, OpGt: true, OpLt: true, OpGe: true, OpLe: true, OpRegex: true}

// addSeedFilters seeds a fuzz target with every filter of the execution
// cases and every injection attempt.
func addSeedFilters(f *testing.F) {
	for _, c := range resultCases {
		for _, s := range c.filters {
			f.Add(s)
		}
	}
	for _, s := range injections {
		f.Add(s)
	}
}

// FuzzBuild: Build never panics, writes only its own vocabulary, and passes
// values as arguments.
func FuzzBuild(f *testing.F) {
	addSeedFilters(f)
	for _, s := range []string{"summary.failures)1", "navigable=true", "project_id@", "a>=b", "x(y", "metadata.tags*;;", "weight<1e5"} {
		f.Add(s)
	}
	tables := []Table{Results, Runs, WidgetConfigs, Users, Results.As("r")}
	f.Fuzz(func(t *testing.T, s string) {
		e, parsed := Parse(s)
		for _, d := range []Dialect{Postgres, SQLite} {
			for _, tb := range tables {
				sql, args, err := Build(d, tb, []string{s})
				if err != nil {
					if !errors.Is(err, ErrInvalid) {
						t.Fatalf("Build(%v, %s, %q): unexpected error %v", d, tb.Name, s, err)
					}
					continue
				}
				checkSQL(t, tb, sql, args)
				if esql, eargs, _, err := Expression(d, tb, s); err != nil {
					t.Fatalf("Expression(%v, %s, %q): %v", d, tb.Name, s, err)
				} else {
					checkSQL(t, tb, esql, eargs)
				}
				if !parsed && sql != "" {
					t.Fatalf("unparseable %q produced %s", s, sql)
				}
				// A text comparison carries the value verbatim as an argument.
				tg, ok := resolve(tb, e.Field)
				textual := ok && (tg.kind == tJSONText || tg.kind == tColumn && tg.colKind == Text)
				if parsed && textual && textOps[e.Op] && !slices.Contains(args, any(e.Value)) {
					t.Fatalf("Build(%v, %s, %q): value %q not among args %#v", d, tb.Name, s, e.Value, args)
				}
			}
		}
	})
}

// FuzzExecute runs whatever Build produces on real databases (SQLite, and
// PostgreSQL when configured): the SQL must always be valid and the only
// acceptable failure is a rejected pattern.
func FuzzExecute(f *testing.F) {
	addSeedFilters(f)
	dbs := []testDB{openSQLite(f)}
	if testenvConfigured() {
		dbs = append(dbs, openPostgres(f))
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range dbs {
			for _, tb := range []struct {
				table Table
				label string
			}{{Results, "test_id"}, {Runs, "component"}} {
				if _, err := selectNames(d, tb.table, tb.label, []string{s}); err != nil &&
					!errors.Is(err, ErrInvalid) && !IsInvalidPattern(err) {
					t.Fatalf("%s %s %q: %v", d.name, tb.table.Name, s, err)
				}
			}
		}
	})
}
