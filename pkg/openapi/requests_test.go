package openapi_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/ibutsu-go/ibutsu/pkg/classify"
	"github.com/ibutsu-go/ibutsu/pkg/flaky"
	"github.com/ibutsu-go/ibutsu/pkg/openapi"
	"github.com/ibutsu-go/ibutsu/pkg/quarantine"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/run"
)

// TestRequestStructsMatchSpec keeps the typed request structs the handlers
// decode into and the request bodies the spec documents in step: the same
// property names, each with the same JSON type. A field added on one side
// only fails here instead of being silently ignored or undocumented.
func TestRequestStructsMatchSpec(t *testing.T) {
	d, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		method, path string
		req          any
	}{
		{"POST", "/result", result.CreateRequest{}},
		{"PUT", "/result/{id}", result.UpdateRequest{}},
		{"POST", "/run", run.CreateRequest{}},
		{"PUT", "/run/{id}", run.UpdateRequest{}},
		{"POST", "/project/{id}/quarantine", quarantine.CreateRequest{}},
		{"PUT", "/project/{id}/quarantine/{entry}", quarantine.UpdateRequest{}},
		{"PUT", "/project/{id}/flaky-settings", flaky.SettingsRequest{}},
		{"PUT", "/project/{id}/triage-settings", classify.SettingsRequest{}},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			item := d.Spec().Paths.Find(c.path)
			if item == nil {
				t.Fatalf("spec has no path %s", c.path)
			}
			op := item.GetOperation(c.method)
			if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
				t.Fatalf("spec has no request body for %s %s", c.method, c.path)
			}
			mt := op.RequestBody.Value.Content.Get("application/json")
			if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
				t.Fatalf("%s %s: no application/json schema", c.method, c.path)
			}
			spec := map[string]string{}
			for name, p := range mt.Schema.Value.Properties {
				spec[name] = schemaType(p)
			}
			got := structFields(t, reflect.TypeOf(c.req))
			for name, typ := range got {
				want, ok := spec[name]
				switch {
				case !ok:
					t.Errorf("field %q is in %T but not in the spec", name, c.req)
				case want != typ:
					t.Errorf("field %q: %T has JSON type %s, the spec says %s", name, c.req, typ, want)
				}
			}
			for name := range spec {
				if _, ok := got[name]; !ok {
					t.Errorf("property %q is in the spec but not in %T", name, c.req)
				}
			}
			if t.Failed() {
				t.Logf("spec: %v; struct: %v", sorted(spec), sorted(got))
			}
		})
	}
}

// schemaType is the JSON type a property schema declares.
func schemaType(p *openapi3.SchemaRef) string {
	if p == nil || p.Value == nil || p.Value.Type == nil {
		return "?"
	}
	return strings.Join(p.Value.Type.Slice(), "|")
}

// structFields maps each JSON field name of a request struct to the JSON
// type its Go type decodes from.
func structFields(t *testing.T, typ reflect.Type) map[string]string {
	t.Helper()
	out := map[string]string{}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			t.Errorf("%s.%s has no JSON name", typ, f.Name)
			continue
		}
		out[name] = jsonType(f.Type)
	}
	return out
}

// jsonType maps a Go field type to a JSON type; model.Nullable[T] is T.
func jsonType(typ reflect.Type) string {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Kind() == reflect.Struct && strings.HasPrefix(typ.Name(), "Nullable[") {
		if v, ok := typ.FieldByName("Value"); ok {
			return jsonType(v.Type)
		}
	}
	switch typ.Kind() {
	case reflect.String:
		return "string"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Bool:
		return "boolean"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return typ.String()
}

func sorted(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+":"+v)
	}
	sort.Strings(out)
	return out
}
