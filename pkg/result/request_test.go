package result

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

func TestDecodeRequestExactKeysAndNumbers(t *testing.T) {
	body := map[string]any{
		"Metadata": map[string]any{"project": "p"}, // not "metadata": ignored
		"params":   map[string]any{"n": json.Number("12345678901234567890")},
		"run_id":   nil,
		"duration": json.Number("1.5"),
	}
	var req UpdateRequest
	if err := DecodeRequest(body, updateSchema, &req); err != nil {
		t.Fatal(err)
	}
	if req.Metadata != nil {
		t.Errorf("Metadata = %v, want nil (the key is case-sensitive)", req.Metadata)
	}
	if n, ok := req.Params["n"].(json.Number); !ok || n.String() != "12345678901234567890" {
		t.Errorf("params.n = %#v, want the exact json.Number", req.Params["n"])
	}
	if !req.RunID.Set || req.RunID.Value != nil {
		t.Errorf("run_id null: %+v, want set and nil", req.RunID)
	}
	if req.Duration == nil || *req.Duration != 1.5 {
		t.Errorf("duration = %v", req.Duration)
	}
	var absent UpdateRequest
	if err := DecodeRequest(map[string]any{}, updateSchema, &absent); err != nil || absent.RunID.Set {
		t.Errorf("absent run_id: %+v, %v", absent.RunID, err)
	}
}

// TestValidationSchemasMatchRequests: the validation schemas name exactly
// the request structs' fields (update may name more: id is ignored), with
// the same JSON types, so no validated field is dropped by decoding.
func TestValidationSchemasMatchRequests(t *testing.T) {
	for _, c := range []struct {
		schema httpx.Schema
		req    any
	}{{createSchema, CreateRequest{}}, {updateSchema, UpdateRequest{}}} {
		typ := reflect.TypeOf(c.req)
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			field, ok := c.schema[name]
			if !ok {
				t.Errorf("%T.%s (%s) is not in the validation schema", c.req, f.Name, name)
				continue
			}
			if got := kindOf(f.Type); got != field.Kind.String() {
				t.Errorf("%T.%s: Go type is JSON %s, the schema checks %s", c.req, f.Name, got, field.Kind)
			}
		}
	}
	if n := reflect.TypeOf(CreateRequest{}).NumField(); n != len(createSchema) {
		t.Errorf("CreateRequest has %d fields, createSchema %d", n, len(createSchema))
	}
}

func kindOf(typ reflect.Type) string {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Kind() == reflect.Struct {
		if v, ok := typ.FieldByName("Value"); ok {
			return kindOf(v.Type)
		}
	}
	switch typ.Kind() {
	case reflect.String:
		return "string"
	case reflect.Float64:
		return "number"
	case reflect.Map:
		return "object"
	}
	return typ.String()
}
