package db

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Lookup is one read of the markers a list page shows (triage marks,
// quarantine, flaky tests, ...), written so that several can run as one
// statement: each feature package keeps its own SQL, and a page costs one
// round trip however many markers it carries.
//
// SQL selects exactly the columns k (a uuid: the row's key, e.g. a result,
// run or project id), a, b, c (text or NULL) and n (an integer); a look-up
// leaves the columns it does not need NULL or 0. Args are its parameters.
type Lookup struct {
	SQL  string
	Args []any
	// Read receives the rows SQL selected (possibly none). Reads are called
	// in the order of the look-ups, so a later one may rely on an earlier.
	Read func(rows []LookupRow)
}

// LookupRow is one row a Lookup selected; Part is its look-up's place in
// the statement.
type LookupRow struct {
	Part    int
	K       uuid.UUID
	A, B, C *string
	N       int64
}

// LookupsSQL is the look-ups as one statement (UNION ALL of each, tagged
// with its place in ls) and its parameters, uuids among them as text
// (textArg); it selects LookupRow's columns.
func LookupsSQL(ls []Lookup) (string, []any) {
	var sql strings.Builder
	var args []any
	for i, l := range ls {
		if i > 0 {
			sql.WriteString(" UNION ALL ")
		}
		sql.WriteString("SELECT " + strconv.Itoa(i) + " AS part, x.k, x.a, x.b, x.c, x.n FROM (" + l.SQL + ") x")
		for _, a := range l.Args {
			args = append(args, textArg(a))
		}
	}
	return sql.String(), args
}

// DispatchLookups hands each look-up of ls its rows of the statement
// LookupsSQL built, in the order of ls.
func DispatchLookups(ls []Lookup, rows []LookupRow) {
	parts := make([][]LookupRow, len(ls))
	for _, r := range rows {
		if r.Part >= 0 && r.Part < len(ls) {
			parts[r.Part] = append(parts[r.Part], r)
		}
	}
	for i, l := range ls {
		l.Read(parts[i])
	}
}

// Lookups runs the look-ups as one statement and hands each its rows;
// none is no statement at all.
func (d *DB) Lookups(ctx context.Context, ls ...Lookup) error {
	if len(ls) == 0 {
		return nil
	}
	sql, args := LookupsSQL(ls)
	rows, err := scanLookupRows(d.Conn(ctx).Raw(sql, args...))
	if err != nil {
		return fmt.Errorf("page look-ups: %w", err)
	}
	DispatchLookups(ls, rows)
	return nil
}

// scanLookupRows reads the statement's rows itself: GORM's Scan records
// every statement it runs and renders its SQL with the arguments spelled
// out (regular expressions over the whole text) whether or not anything
// logs it, and every result a POST answers runs this statement.
func scanLookupRows(q *gorm.DB) (out []LookupRow, err error) {
	rs, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := rs.Close(); err == nil {
			err = cerr
		}
	}()
	for rs.Next() {
		var r LookupRow
		if err := rs.Scan(&r.Part, &r.K, &r.A, &r.B, &r.C, &r.N); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// LookupAlone runs the one look-up build makes, filling a fresh map, for a
// caller with no other look-up of the page to run beside it (a service's
// own method, its tests). build's ok false is no statement and an empty map.
func LookupAlone[V any](ctx context.Context, d *DB, build func(out map[uuid.UUID]V) (Lookup, bool)) (map[uuid.UUID]V, error) {
	out := map[uuid.UUID]V{}
	l, ok := build(out)
	if !ok {
		return out, nil
	}
	if err := d.Lookups(ctx, l); err != nil {
		return nil, err
	}
	return out, nil
}
