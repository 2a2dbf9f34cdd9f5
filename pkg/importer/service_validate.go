package importer

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// maxMarkupBytes caps one tag of a JUnit report (a test case's name and
// attributes): a 50 MB name is refused while it is read instead of being
// held whole by the XML tokenizer.
const maxMarkupBytes = 1 << 20

// checkIndexed checks one value bound for an indexed text column against
// the schema's limit for it (model's Max*Bytes, which the API enforces too): PostgreSQL's
// B-tree refuses an over-long index entry, which would otherwise fail the
// import's transaction on every retry. A longer value fails the import at
// once with a message naming the field.
func checkIndexed(field string, limit int, v *string) error {
	if v == nil {
		return nil
	}
	if len(*v) > limit {
		return badInputf("%s is longer than %d bytes (%d bytes, starting %q)", field, limit, len(*v), preview(*v))
	}
	if strings.ContainsRune(*v, 0) {
		return badInputf("%s holds a NUL character", field)
	}
	return nil
}

// checkJSON refuses NUL characters anywhere in a decoded JSON value, keys
// included: PostgreSQL's jsonb and text types cannot store them, so the
// import would otherwise fail in the database on every retry.
func checkJSON(where string, v any) error {
	switch x := v.(type) {
	case string:
		if strings.ContainsRune(x, 0) {
			return badInputf("%s holds a NUL character (\\u0000) in the value %q", where, preview(x))
		}
	case map[string]any:
		for k, e := range x {
			if strings.ContainsRune(k, 0) {
				return badInputf("%s holds a NUL character (\\u0000) in the key %q", where, preview(k))
			}
			if err := checkJSON(where, e); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := checkJSON(where, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// preview is the start of a value for an error message.
func preview(s string) string {
	const n = 40
	if len(s) > n {
		s = s[:n]
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		return strings.ReplaceAll(s, "\x00", `\u0000`) + "…"
	}
	return strings.ReplaceAll(s, "\x00", `\u0000`)
}

// checkResultFields checks a result's indexed columns.
func checkResultFields(what string, testID, source, env, component *string) error {
	for _, f := range []struct {
		name  string
		limit int
		v     *string
	}{{"test_id", model.MaxTestIDBytes, testID}, {"source", model.MaxSourceBytes, source},
		{"env", model.MaxLabelBytes, env}, {"component", model.MaxLabelBytes, component}} {
		if err := checkIndexed(fmt.Sprintf("%s: %s", what, f.name), f.limit, f.v); err != nil {
			return err
		}
	}
	return nil
}
