package httpx

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Kind is the JSON type a body field must have.
type Kind int

// Field kinds, as the OpenAPI schemas declare them.
const (
	String Kind = iota
	Number
	Integer
	Boolean
	Object
	Array
	Any
)

// Field declares one body property.
type Field struct {
	Kind     Kind
	Nullable bool
	Enum     []string
}

// Schema declares the known properties of a body; unknown keys are ignored.
type Schema map[string]Field

// Validate checks body against s like upstream's request validator: wrong
// types, nulls on non-nullable properties and enum violations are 400
// problems naming the property.
func (s Schema) Validate(body map[string]any) error {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := s[k]
		v, present := body[k]
		if !present {
			continue
		}
		if v == nil {
			if f.Nullable {
				continue
			}
			return apperr.Problem(http.StatusBadRequest, "None is not of type '%s' - '%s'", f.Kind, k)
		}
		if !f.Kind.matches(v) {
			return apperr.Problem(http.StatusBadRequest, "%s is not of type '%s' - '%s'", PyRepr(v), f.Kind, k)
		}
		if len(f.Enum) > 0 {
			str, _ := v.(string)
			ok := false
			for _, e := range f.Enum {
				ok = ok || e == str
			}
			if !ok {
				return apperr.Problem(http.StatusBadRequest, "%s is not one of ['%s'] - '%s'", PyRepr(v), strings.Join(f.Enum, "', '"), k)
			}
		}
	}
	return nil
}

// RejectUnknown refuses a body with keys s does not declare, naming them
// in the words of upstream's schema validator ("Additional properties are
// not allowed ('x' was unexpected)"). Our own routes call it, so a
// misspelt setting is a 400 rather than a 200 that saved nothing;
// upstream's routes do not, because upstream's schemas accept unknown
// properties and its clients send them.
func (s Schema) RejectUnknown(body map[string]any) error {
	var extra []string
	for k := range body {
		if _, ok := s[k]; !ok {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return nil
	}
	sort.Strings(extra)
	verb := "was"
	if len(extra) > 1 {
		verb = "were"
	}
	return apperr.Problem(http.StatusBadRequest, "Additional properties are not allowed (%s %s unexpected)", pyList(extra), verb)
}

// pyList renders names as Python's repr of them joined by ", ".
func pyList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = PyRepr(n)
	}
	return strings.Join(quoted, ", ")
}

func (k Kind) String() string {
	return [...]string{"string", "number", "integer", "boolean", "object", "array", "any"}[k]
}

func (k Kind) matches(v any) bool {
	switch k {
	case String:
		_, ok := v.(string)
		return ok
	case Number:
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		f, err := n.Float64()
		return err == nil && !math.IsInf(f, 0)
	case Integer:
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		return err == nil
	case Boolean:
		_, ok := v.(bool)
		return ok
	case Object:
		_, ok := v.(map[string]any)
		return ok
	case Array:
		_, ok := v.([]any)
		return ok
	}
	return true
}

// PyRepr renders a JSON value roughly as Python's repr, which upstream's
// validation messages show.
func PyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return "'" + x + "'"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case json.Number:
		return x.String()
	case map[string]any:
		return "{...}"
	case []any:
		return "[...]"
	}
	return fmt.Sprint(v)
}

// Str returns body[k] as a string pointer (nil when absent or null).
func Str(body map[string]any, k string) *string {
	if s, ok := body[k].(string); ok {
		return &s
	}
	return nil
}

// Num returns body[k] as a float pointer (nil when absent, null or not a number).
func Num(body map[string]any, k string) *float64 {
	if n, ok := body[k].(json.Number); ok {
		if f, err := n.Float64(); err == nil {
			return &f
		}
	}
	return nil
}

// Obj returns body[k] as an object (nil when absent, null or not an object).
func Obj(body map[string]any, k string) map[string]any {
	m, _ := body[k].(map[string]any)
	return m
}

// ReadBody reads a JSON object body (ReadJSONObject) and validates it
// against s: the first step of every JSON write handler.
func ReadBody(c *gin.Context, maxBytes int64, s Schema) (map[string]any, error) {
	body, err := ReadJSONObject(c, maxBytes)
	if err != nil {
		return nil, err
	}
	return body, s.Validate(body)
}
