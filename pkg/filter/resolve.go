package filter

import "strings"

// targetKind says what a filter field refers to.
type targetKind int

const (
	// tColumn is a plain column of the table.
	tColumn targetKind = iota
	// tJSONWhole is a JSON column named without a path (`metadata`, `data`).
	tJSONWhole
	// tJSONText is a path into a JSON column, compared as text.
	tJSONText
	// tJSONNumber is one of the numeric summary fields, compared as a number.
	tJSONNumber
	// tJSONArray is one of the array metadata fields (tags, markers, annotations).
	tJSONArray
)

// target is a resolved field.
type target struct {
	kind targetKind
	// column is the quoted (and maybe qualified) column reference.
	column string
	// colKind is the column's kind for tColumn.
	colKind Kind
	// path holds the JSON keys below the column, for the tJSON* kinds.
	path []string
}

// numericSummary are the `summary.<key>` fields compared as numbers
// (docs/api-compatibility.md#filter-fields; upstream's NUMERIC_FIELDS).
var numericSummary = map[string]bool{
	"failures": true, "errors": true, "pass_percent": true, "passes": true,
	"skips": true, "tests": true, "xfailures": true, "xpasses": true,
}

// arrayMetadata are the `metadata.<key>` fields holding JSON arrays
// (upstream's ARRAY_FIELDS); `data.<key>` is treated the same.
var arrayMetadata = map[string]bool{"tags": true, "markers": true, "annotations": true}

// resolve maps a field to what it refers to in t; ok is false for a field the
// table does not have, which Build then ignores.
func resolve(t Table, field string) (target, bool) {
	if k, ok := t.Columns[field]; ok {
		if k == JSON {
			return target{kind: tJSONWhole, column: t.column(field)}, true
		}
		return target{kind: tColumn, column: t.column(field), colKind: k}, true
	}
	parts := strings.Split(field, ".")
	col, ok := t.JSONPaths[parts[0]]
	if !ok {
		return target{}, false
	}
	path := parts[1:]
	for _, p := range path {
		if p == "" {
			return target{}, false
		}
	}
	tg := target{kind: tJSONText, column: t.column(col), path: path}
	switch {
	case len(path) == 0:
		tg.kind = tJSONWhole
	case len(path) == 1 && parts[0] == "summary" && numericSummary[path[0]]:
		tg.kind = tJSONNumber
	case len(path) == 1 && (parts[0] == "metadata" || parts[0] == "data") && arrayMetadata[path[0]]:
		tg.kind = tJSONArray
	}
	return tg, true
}
