package widget

import (
	"maps"
	"net/url"
	"reflect"
	"slices"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/openapi"
)

// TestRegistryEntriesAreComplete checks every registry entry on its own: an
// id, a title, a kind the catalogue filter knows, a computation (a missing
// one would be a nil call on GET /widget/{id}), well-formed parameters, and
// renames that land on declared parameters.
func TestRegistryEntriesAreComplete(t *testing.T) {
	kinds := []string{"widget", "view"}
	types := []string{"string", "integer", "float", "boolean", "list"}
	seen := map[string]bool{}
	for i, w := range registry {
		if w == nil {
			t.Fatalf("registry[%d] is nil", i)
		}
		if w.ID == "" || w.Title == "" {
			t.Errorf("registry[%d]: id %q, title %q", i, w.ID, w.Title)
		}
		if seen[w.ID] {
			t.Errorf("%s: registered twice", w.ID)
		}
		seen[w.ID] = true
		if !slices.Contains(kinds, w.Kind) {
			t.Errorf("%s: kind %q, want one of %v", w.ID, w.Kind, kinds)
		}
		if w.Compute == nil {
			t.Errorf("%s: no computation", w.ID)
		}
		if w.Params == nil {
			t.Errorf("%s: params nil, want a (possibly empty) list", w.ID)
		}
		names := map[string]bool{}
		for _, p := range w.Params {
			if p.Name == "" || names[p.Name] {
				t.Errorf("%s: parameter name %q empty or repeated", w.ID, p.Name)
			}
			names[p.Name] = true
			if !slices.Contains(types, p.Type) {
				t.Errorf("%s.%s: type %q, want one of %v", w.ID, p.Name, p.Type, types)
			}
			if p.Default != nil && !defaultFits(p.Type, p.Default) {
				t.Errorf("%s.%s: default %#v is no %s", w.ID, p.Name, p.Default, p.Type)
			}
		}
		for what, renames := range map[string]map[string]string{"query": w.QueryRenames, "stored": w.StoredRenames} {
			for from, to := range renames {
				if !names[to] || names[from] {
					t.Errorf("%s: %s rename %q -> %q must go from an undeclared to a declared parameter", w.ID, what, from, to)
				}
			}
		}
		if got, ok := Lookup(w.ID); !ok || got != w {
			t.Errorf("Lookup(%q) = %v, %v; want the registry entry", w.ID, got, ok)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) found an entry")
	}
}

// TestCatalogueIsTheRegistry checks that the catalogue is generated from the
// registry: one entry per widget in registry order, filtered by kind, with
// the entry's own fields.
func TestCatalogueIsTheRegistry(t *testing.T) {
	all := catalogue("")
	if len(all) != len(registry) {
		t.Fatalf("catalogue has %d entries, registry %d", len(all), len(registry))
	}
	for i, c := range all {
		w := registry[i]
		if c.ID != w.ID || c.Title != w.Title || c.Description != w.Description || c.Type != w.Kind || !reflect.DeepEqual(c.Params, w.Params) {
			t.Errorf("catalogue[%d] = %+v, registry entry %+v", i, c, *w)
		}
	}
	widgets, views := catalogue("widget"), catalogue("view")
	if len(widgets)+len(views) != len(all) {
		t.Errorf("widgets %d + views %d != %d", len(widgets), len(views), len(all))
	}
	for kind, list := range map[string][]Type{"widget": widgets, "view": views} {
		for _, c := range list {
			if c.Type != kind {
				t.Errorf("catalogue(%q) holds %s of kind %q", kind, c.ID, c.Type)
			}
		}
	}
}

// TestRenamesAreUnchanged pins the per-widget renames as they were when they
// lived in two tables of their own, so moving them into the entries kept
// every rename.
func TestRenamesAreUnchanged(t *testing.T) {
	wantQuery := map[string]map[string]string{
		"jenkins-job-view":  {"filter_": "additional_filters"},
		"jenkins-heatmap":   {"jenkins_job_name": "job_name"},
		"compare-runs-view": {"filters": "additional_filters"},
	}
	wantStored := map[string]map[string]string{
		"jenkins-heatmap":   {"jenkins_job_name": "job_name"},
		"compare-runs-view": {"filters": "additional_filters"},
		"filter-heatmap":    {"filters": "additional_filters"},
		"jenkins-job-view":  {"filter": "additional_filters"},
	}
	gotQuery, gotStored := map[string]map[string]string{}, map[string]map[string]string{}
	for _, w := range registry {
		if len(w.QueryRenames) > 0 {
			gotQuery[w.ID] = w.QueryRenames
		}
		if len(w.StoredRenames) > 0 {
			gotStored[w.ID] = w.StoredRenames
		}
	}
	if !reflect.DeepEqual(gotQuery, wantQuery) {
		t.Errorf("query renames %v, want %v", gotQuery, wantQuery)
	}
	if !reflect.DeepEqual(gotStored, wantStored) {
		t.Errorf("stored renames %v, want %v", gotStored, wantStored)
	}

	// And both pipelines apply them.
	w, _ := Lookup("jenkins-job-view")
	a, err := parseArgs(w, url.Values{"filter": {"env=a"}})
	if err != nil || !reflect.DeepEqual(a.list("additional_filters"), []string{"env=a"}) {
		t.Errorf("query ?filter= on jenkins-job-view: %v, %v", a, err)
	}
	got := CleanParams("filter-heatmap", map[string]any{"filters": "x", "bogus": 1})
	if !maps.Equal(got, map[string]any{"additional_filters": "x"}) {
		t.Errorf("stored filters on filter-heatmap: %v", got)
	}
}

// TestSpecListsEveryWidget checks that the OpenAPI enum of widget ids is the
// registry, in order, so a widget added to one and not the other fails here.
func TestSpecListsEveryWidget(t *testing.T) {
	d, err := openapi.Load(openapi.AreaWidgets)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := d.Spec().Components.Schemas["WidgetTypeID"]
	if !ok || s.Value == nil {
		t.Fatal("spec has no WidgetTypeID schema")
	}
	var enum []string
	for _, v := range s.Value.Enum {
		id, _ := v.(string)
		enum = append(enum, id)
	}
	if !slices.Equal(enum, ids()) {
		t.Errorf("spec WidgetTypeID enum %v\nregistry %v", enum, ids())
	}
}

// defaultFits reports whether a declared default is a value of the declared
// parameter type, as the UI will send it back.
func defaultFits(typ string, v any) bool {
	switch v.(type) {
	case string:
		return typ == "string"
	case int:
		return typ == "integer" || typ == "float"
	case float64:
		return typ == "float"
	case bool:
		return typ == "boolean"
	case []string:
		return typ == "list"
	}
	return false
}
