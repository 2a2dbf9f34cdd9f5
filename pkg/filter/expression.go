package filter

import "fmt"

// Expression returns the SQL expression a field names in t, for widgets that
// group or aggregate by a user-chosen field (upstream's string_to_column):
// a column; a `metadata.`/`data.`/`summary.` path as text; a numeric
// summary key as a number (NULL when the key holds anything but a number,
// so callers can COALESCE it to 0); an array field (metadata.tags…) as JSON.
// ok is false when t has no such field, which widgets treat as "no data".
// Like Build's, the SQL holds only column names; JSON keys are in args.
func Expression(d Dialect, t Table, field string) (sql string, args []any, ok bool, err error) {
	if err := t.validate(); err != nil {
		return "", nil, false, err
	}
	dl, err := d.impl()
	if err != nil {
		return "", nil, false, err
	}
	for i := 0; i < len(field); i++ {
		if !isFieldChar(field[i]) {
			return "", nil, false, nil
		}
	}
	tg, ok := resolve(t, field)
	if !ok {
		return "", nil, false, nil
	}
	var f frag
	switch tg.kind {
	case tColumn, tJSONWhole:
		f = frag{sql: tg.column}
	case tJSONText:
		f = dl.jsonText(tg.column, tg.path)
	case tJSONNumber:
		f = dl.jsonNumber(tg.column, tg.path)
	case tJSONArray:
		f = dl.jsonValue(tg.column, tg.path)
	default:
		return "", nil, false, fmt.Errorf("filter: unhandled target kind %d", tg.kind)
	}
	return f.sql, f.args, true, nil
}
