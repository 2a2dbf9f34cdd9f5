package widget_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/widget"
)

// capped serves the widget routes with lims as the superadmin, bypassing
// the app's router so any caps can be tried on the same database.
func (e *env) capped(lims config.Widgets) func(path string) map[string]any {
	r := gin.New()
	r.Use(func(c *gin.Context) {
		c.Request = c.Request.WithContext(auth.WithUser(c.Request.Context(), e.Admin))
		c.Next()
	})
	widget.NewHandler(e.App.DB, e.App.Services.Projects, backendtest.Quiet(), widget.WithLimits(lims)).Register(r.Group("/api"))
	return func(path string) map[string]any {
		e.t.Helper()
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			e.t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		return obj(e.t, []byte(`{"v":`+rec.Body.String()+`}`))
	}
}

// TestLoweredCapsTakeEffect checks each widgets.* cap against the same data
// with upstream's caps and with lowered ones.
func TestLoweredCapsTakeEffect(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		t0 := time.Now().Add(-time.Hour)
		at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }
		e.run(at(0), "a", jenkins("J", "6"), sum6(10, 0, 0, 0))
		e.run(at(1), "b", jenkins("J", "7"), sum6(10, 1, 0, 0))
		e.run(at(2), "a", jenkins("J", "7"), sum6(10, 2, 0, 0))
		e.run(at(3), "b", jenkins("J", "7"), sum6(10, 3, 0, 0))
		for _, c := range []string{"x", "y", "z"} {
			e.result(at(0), c, "passed", nil)
		}
		p := "&project=" + e.project.String()
		upstream := e.capped(config.Widgets{}) // zero values: upstream's caps
		lowered := e.capped(config.Widgets{HeatmapMaxBuilds: 3, BarchartMaxBuilds: 10, HeatmapRunLimit: 3, JobViewRunLimit: 10,
			FilterModeLimit: 2, RunMatrixMaxRuns: 1})
		for _, tc := range []struct {
			name, path string
			measure    func(map[string]any) int
			want       [2]int // with upstream's caps, with the lowered ones
		}{
			{"heatmap_max_builds", "/api/widget/jenkins-analysis-view?job_name=J&builds=10", func(m map[string]any) int {
				return int(m["v"].(map[string]any)["heatmap_params"].(map[string]any)["builds"].(float64))
			}, [2]int{10, 3}},
			{"filter_mode_limit", "/api/widget/result-aggregator?group_field=component&for_filter=true" + p, func(m map[string]any) int {
				return len(m["v"].([]any))
			}, [2]int{3, 2}},
			{"run_matrix_max_runs", "/api/widget/run-matrix?columns=component&limit=5" + p, func(m map[string]any) int {
				return len(m["v"].(map[string]any)["rows"].([]any))
			}, [2]int{4, 1}},
			// 3 runs per 3 builds: 2 runs for builds=2 instead of all 4.
			{"heatmap_run_limit", "/api/widget/filter-heatmap?additional_filters=env@n&builds=2&group_field=component" + p, func(m map[string]any) int {
				n := 0
				for _, g := range m["v"].(map[string]any)["heatmap"].(map[string]any) {
					n += len(g.([]any)) - 1
				}
				return n
			}, [2]int{4, 2}},
			// 10 runs per 10 builds: 2 runs for builds=2, both of build 7.
			{"job_view_run_limit", "/api/widget/jenkins-bar-chart?job_name=J&builds=2" + p, func(m map[string]any) int {
				return len(m["v"].(map[string]any)["passed"].(map[string]any))
			}, [2]int{2, 1}},
		} {
			for i, get := range []func(string) map[string]any{upstream, lowered} {
				if got := tc.measure(get(tc.path)); got != tc.want[i] {
					t.Errorf("%s (caps %d): got %d, want %d", tc.name, i, got, tc.want[i])
				}
			}
		}
	})
}
