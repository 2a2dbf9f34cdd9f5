package widget_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// updateGolden rewrites testdata/*.golden from the running code. Use it only
// for a deliberate change of the catalogue: the upstream frontend reads
// these bodies, so they stay byte-identical otherwise.
var updateGolden = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestWidgetTypesGolden pins the exact bytes of GET /api/widget/types (all,
// widgets only, views only), of its bad-filter 400 and of the 400 for an
// unknown widget id (which lists every id in catalogue order). The files were
// captured before the catalogue became a registry, so any drift in order,
// field order, defaults or wording fails here.
func TestWidgetTypesGolden(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	for _, tc := range []struct {
		path, golden string
		code         int
	}{
		{"/api/widget/types", "types.golden", 200},
		{"/api/widget/types?type=widget", "types_widget.golden", 200},
		{"/api/widget/types?type=view", "types_view.golden", 200},
		{"/api/widget/types?type=chart", "types_bad_filter.golden", 400},
		{"/api/widget/nope", "unknown_id.golden", 400},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			r := e.Do("GET", tc.path, nil, e.UserToken)
			if r.Code != tc.code {
				t.Fatalf("GET %s: %d %s", tc.path, r.Code, r.Body)
			}
			file := filepath.Join("testdata", tc.golden)
			if *updateGolden {
				if err := os.WriteFile(file, r.Body.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Body.String(); got != string(want) {
				t.Fatalf("GET %s changed:\ngot  %s\nwant %s", tc.path, got, want)
			}
		})
	}
}
