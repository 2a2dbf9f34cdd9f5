package filter

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// ErrInvalid marks filters that cannot be run at all: a value that is not
// valid UTF-8 or holds a NUL byte, a value that cannot be of its field's
// known type (typeError), a regular expression the SQLite REGEXP function
// cannot compile, or more values than a statement may bind.
// Its kind is apperr.KindInvalid, so httpx.WriteError answers anything
// wrapping it with a 400 problem whose detail is the whole message (safe to
// show to the client) without the platform importing this package.
var ErrInvalid error = apperr.NewSentinel(apperr.KindInvalid, "invalid filter")

// IsInvalidPattern reports whether err is PostgreSQL rejecting a `~`
// pattern (SQLSTATE 2201B). PostgreSQL's regular-expression syntax is not
// Go's, so Build cannot check patterns for it; callers may map this error to
// 400 like ErrInvalid.
func IsInvalidPattern(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "2201B"
}

// maxArgs bounds the bound parameters of one Build, well under PostgreSQL's
// 65535 per statement, so a huge `*` list is a 400 and not a failed query.
const maxArgs = 20000

// comparisons maps the ordering operators to SQL.
var comparisons = map[Op]string{OpEq: "=", OpNe: "<>", OpGt: ">", OpLt: "<", OpGe: ">=", OpLe: "<="}

// Build turns filter strings into one SQL boolean expression for t, with `?`
// placeholders and their arguments, ready for GORM's db.Where(sql, args...).
// Predicates are ANDed in order. Strings that do not parse and fields t does
// not have are ignored; sql is "" when nothing remains. User input only ever
// reaches the database as arguments: the SQL holds nothing but this
// package's own text and t's column names.
func Build(d Dialect, t Table, filters []string) (string, []any, error) {
	if err := t.validate(); err != nil {
		return "", nil, err
	}
	dl, err := d.impl()
	if err != nil {
		return "", nil, err
	}
	var preds []frag
	for _, s := range filters {
		e, ok := Parse(s)
		if !ok {
			continue
		}
		p, ok, err := predicate(dl, t, e)
		if err != nil {
			return "", nil, err
		}
		if !ok {
			continue
		}
		if t.ProjectOrGlobal && strings.Contains(e.Field, "project") {
			p = sq("(", t.column("project_id"), " IS NULL OR ", p, ")")
		}
		preds = append(preds, p)
	}
	if len(preds) == 0 {
		return "", nil, nil
	}
	f := joinFrags(preds, " AND ")
	if len(f.args) > maxArgs {
		return "", nil, fmt.Errorf("%w: more than %d values", ErrInvalid, maxArgs)
	}
	return f.sql, f.args, nil
}

// predicate builds one filter's condition; ok is false when the filter is
// ignored (unknown field, or an operator the field does not support).
func predicate(dl dialect, t Table, e Expr) (frag, bool, error) {
	tg, ok := resolve(t, e.Field)
	if !ok {
		return frag{}, false, nil
	}
	if !utf8.ValidString(e.Value) || strings.ContainsRune(e.Value, 0) {
		return frag{}, false, fmt.Errorf("%w: the value of %q is not valid text", ErrInvalid, e.Field)
	}
	switch tg.kind {
	case tJSONWhole:
		if e.Op != OpExists {
			return frag{}, false, nil
		}
		return exists(frag{sql: tg.column}, e.Value), true, nil
	case tJSONArray:
		return arrayPredicate(dl, tg, e)
	}
	lhs, kind := operand(dl, tg)
	switch e.Op {
	case OpExists:
		if tg.kind == tJSONNumber {
			lhs = dl.jsonText(tg.column, tg.path) // present even when not a number
		}
		return exists(lhs, e.Value), true, nil
	case OpRegex:
		p, err := dl.regex(textOperand(dl, tg), e.Value)
		if err != nil {
			return frag{}, false, fmt.Errorf("%w: %s: %w", ErrInvalid, e.Field, err)
		}
		return p, true, nil
	case OpLike:
		return dl.like(textOperand(dl, tg), likePattern(e.Value)), true, nil
	case OpIn:
		var elems []frag
		for _, v := range strings.Split(e.Value, ";") {
			if v == "" && kind != Text {
				continue // `a;b;` — a trailing separator is not a value
			}
			c, ok := convert(dl, kind, v)
			if !ok {
				return frag{}, false, typeError(e.Field, kind, v)
			}
			elems = append(elems, dl.param(kind, c))
		}
		if len(elems) == 0 {
			return never, true, nil
		}
		return sq("(", lhs, " IN (", joinFrags(elems, ", "), "))"), true, nil
	}
	c, ok := convert(dl, kind, e.Value)
	if !ok {
		return frag{}, false, typeError(e.Field, kind, e.Value)
	}
	return sq("(", lhs, " ", comparisons[e.Op], " ", dl.param(kind, c), ")"), true, nil
}

// operand is the expression a comparison's left side is, and its kind.
func operand(dl dialect, tg target) (frag, Kind) {
	switch tg.kind {
	case tJSONText:
		return dl.jsonText(tg.column, tg.path), Text
	case tJSONNumber:
		return dl.jsonNumber(tg.column, tg.path), Float
	}
	return frag{sql: tg.column}, tg.colKind
}

// textOperand is the left side as text, for `~` and `%`: non-text columns
// are cast (so a UUID can be searched by a fragment), JSON paths extracted.
func textOperand(dl dialect, tg target) frag {
	switch tg.kind {
	case tJSONText, tJSONNumber:
		return dl.jsonText(tg.column, tg.path)
	}
	if tg.colKind == Text {
		return frag{sql: tg.column}
	}
	return dl.asText(frag{sql: tg.column})
}

// convert types a value for a target of kind k; ok is false when the value
// cannot be of that kind.
func convert(dl dialect, k Kind, s string) (any, bool) {
	switch k {
	case UUID:
		return parseUUID(s)
	case Int, Float:
		return parseNumber(s)
	case Timestamp:
		t, ok := parseTime(s)
		if !ok {
			return nil, false
		}
		return dl.timeArg(t), true
	case Bool:
		return parseBool(s)
	}
	return s, true
}

// exists is the `@` operator on an expression that is NULL when absent.
// An empty value, which crashes upstream, matches nothing.
func exists(e frag, value string) frag {
	want, ok := existsWanted(value)
	switch {
	case !ok:
		return never
	case want:
		return sq("(", e, " IS NOT NULL)")
	}
	return sq("(", e, " IS NULL)")
}

// arrayPredicate handles metadata.tags/markers/annotations: `=` element
// containment (a number-like value also matches the number), `*` any of the
// strings, `@` existence; other operators are ignored as upstream does.
func arrayPredicate(dl dialect, tg target, e Expr) (frag, bool, error) {
	switch e.Op {
	case OpEq:
		num, _ := parseNumber(e.Value)
		return dl.arrayContains(tg.column, tg.path, e.Value, num), true, nil
	case OpIn:
		return dl.arrayAny(tg.column, tg.path, strings.Split(e.Value, ";")), true, nil
	case OpExists:
		return exists(dl.jsonText(tg.column, tg.path), e.Value), true, nil
	}
	return frag{}, false, nil
}
