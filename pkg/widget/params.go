package widget

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// args are a widget's typed parameters: string, int, float64, bool or
// []string by declaration.
type args map[string]any

func (a args) str(k string) (string, bool) { s, ok := a[k].(string); return s, ok }

func (a args) strOr(k, def string) string {
	if s, ok := a.str(k); ok {
		return s
	}
	return def
}

func (a args) integer(k string) (int, bool) { n, ok := a[k].(int); return n, ok }

func (a args) intOr(k string, def int) int {
	if n, ok := a.integer(k); ok {
		return n
	}
	return def
}

func (a args) boolOr(k string, def bool) bool {
	if b, ok := a[k].(bool); ok {
		return b
	}
	return def
}

func (a args) list(k string) []string { l, _ := a[k].([]string); return l }

// parseArgs is the pipeline of docs/api-compatibility.md#widget-parameters:
// collect every value, rename, reject
// undeclared names, then type each value by its declaration. Lists are never
// comma-split; other types take the first value.
func parseArgs(t *Widget, q url.Values) (args, error) {
	raw := map[string][]string{}
	for k, v := range q {
		if k == "filter" {
			k = "filter_"
		}
		if to, ok := t.QueryRenames[k]; ok {
			k = to
		}
		raw[k] = append(raw[k], v...)
	}
	var bad []string
	for k := range raw {
		if _, ok := t.param(k); !ok {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return nil, apperr.BadRequest("Invalid parameters for widget '%s': %s", t.ID, strings.Join(bad, ", "))
	}
	out := args{}
	for k, vs := range raw {
		p, _ := t.param(k)
		first := ""
		if len(vs) > 0 {
			first = vs[0]
		}
		switch p.Type {
		case "list":
			out[k] = vs
		case "integer":
			n, err := strconv.Atoi(strings.TrimSpace(first))
			if err != nil {
				return nil, paramError(t.ID, "invalid literal for int() with base 10: '%s'", first)
			}
			out[k] = n
		case "float":
			f, err := strconv.ParseFloat(strings.TrimSpace(first), 64)
			if err != nil {
				return nil, paramError(t.ID, "could not convert string to float: '%s'", first)
			}
			out[k] = f
		case "boolean":
			out[k] = first != "" && strings.ContainsRune("yt1", rune(strings.ToLower(first)[0]))
		default:
			out[k] = first
		}
	}
	return out, nil
}

// paramError is the controller's 400 for arguments a widget cannot use.
func paramError(id, format string, a ...any) error {
	return apperr.BadRequest("Parameter error for widget '%s': "+format, append([]any{id}, a...)...)
}

// need reports the first missing argument a widget takes positionally
// upstream (a Python TypeError there, the same 400 here).
func need(id string, a args, names ...string) error {
	for _, n := range names {
		if _, ok := a[n]; !ok {
			return paramError(id, "missing required argument: '%s'", n)
		}
	}
	return nil
}

// uuidArg reads a widget argument as an id: the canonical 36-character
// form only, as path ids are read (other values name no project or run).
func uuidArg(s string) (uuid.UUID, bool) {
	id, err := uuid.Parse(s)
	return id, err == nil && len(s) == 36
}
