package widget_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
)

// catalogueParam is a parameter as GET /api/widget/types lists it.
type catalogueParam struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Required *bool  `json:"required"`
	Default  any    `json:"default"`
}

// TestEveryCatalogueEntryAnswers walks GET /api/widget/types and calls each
// listed widget with every parameter that is not marked optional or has a
// default (the declared default, else a sample of the declared type) and
// the test project, on PostgreSQL and SQLite. Every entry must reach its
// computation and answer 200 with a body the OpenAPI spec accepts: an entry
// listed without a working computation fails here.
func TestEveryCatalogueEntryAnswers(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		var cat struct {
			Types []struct {
				ID     string           `json:"id"`
				Params []catalogueParam `json:"params"`
			} `json:"types"`
		}
		if err := json.Unmarshal(e.call("GET", "/api/widget/types", nil, e.UserToken, 200), &cat); err != nil {
			t.Fatal(err)
		}
		if len(cat.Types) == 0 {
			t.Fatal("empty catalogue")
		}
		for _, w := range cat.Types {
			q := url.Values{}
			for _, p := range w.Params {
				if p.Name == "project" {
					q.Set(p.Name, e.project.String())
				} else if p.Required == nil || *p.Required || p.Default != nil {
					q[p.Name] = sampleValue(p)
				}
			}
			e.call("GET", "/api/widget/"+w.ID+"?"+q.Encode(), nil, e.UserToken, 200)
		}
	})
}

// sampleValue is the declared default of p, else a value of its type.
func sampleValue(p catalogueParam) []string {
	switch d := p.Default.(type) {
	case nil:
	case []any:
		out := make([]string, len(d))
		for i, v := range d {
			out[i] = fmt.Sprint(v)
		}
		return out
	default:
		return []string{fmt.Sprint(d)}
	}
	switch p.Type {
	case "integer", "float":
		return []string{"3"}
	case "boolean":
		return []string{"false"}
	case "list":
		return []string{"env=a", "env=b"}
	default:
		return []string{"x"}
	}
}
