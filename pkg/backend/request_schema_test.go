package backend_test

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/group"
	"github.com/ibutsu-go/ibutsu/pkg/openapi"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/widgetconfig"
)

// TestRequestStructsMatchOpenAPI holds each typed request against the
// OpenAPI input schema of its endpoint, so neither can change alone: the
// body schema the handler validates with has the document's properties,
// types, nullability and enums, and the request struct has a field (by its
// json tag) for every property but the client-chosen "id".
func TestRequestStructsMatchOpenAPI(t *testing.T) {
	doc, err := openapi.Load(openapi.Areas()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		component string
		schema    httpx.Schema
		request   any
	}{
		{"DashboardInput", dashboard.RequestSchema, dashboard.Request{}},
		{"WidgetConfigInput", widgetconfig.RequestSchema, widgetconfig.Request{}},
		{"GroupInput", group.RequestSchema, group.Request{}},
	} {
		ref, ok := doc.Spec().Components.Schemas[c.component]
		if !ok {
			t.Errorf("%s is not in the document", c.component)
			continue
		}
		props := ref.Value.Properties
		var specKeys, fieldKeys []string
		for k, p := range props {
			specKeys = append(specKeys, k)
			f, ok := c.schema[k]
			if !ok {
				t.Errorf("%s.%s: not in the body schema", c.component, k)
				continue
			}
			wantType := "any"
			if p.Value.Type != nil && len(p.Value.Type.Slice()) == 1 {
				wantType = p.Value.Type.Slice()[0]
			}
			var enum []string
			for _, e := range p.Value.Enum {
				enum = append(enum, e.(string))
			}
			if f.Kind.String() != wantType || f.Nullable != p.Value.Nullable || !slices.Equal(f.Enum, enum) {
				t.Errorf("%s.%s: body schema %s nullable=%v enum=%v, document %s nullable=%v enum=%v", c.component, k, f.Kind, f.Nullable, f.Enum, wantType, p.Value.Nullable, enum)
			}
		}
		for k := range c.schema {
			if _, ok := props[k]; !ok {
				t.Errorf("%s.%s: in the body schema, not in the document", c.component, k)
			}
		}
		rt := reflect.TypeOf(c.request)
		fieldKeys = append(fieldKeys, "id")
		for i := 0; i < rt.NumField(); i++ {
			fieldKeys = append(fieldKeys, strings.Split(rt.Field(i).Tag.Get("json"), ",")[0])
		}
		sort.Strings(specKeys)
		sort.Strings(fieldKeys)
		if !slices.Equal(specKeys, fieldKeys) {
			t.Errorf("%s: document properties %v, request fields %v (and id)", c.component, specKeys, fieldKeys)
		}
	}
}
