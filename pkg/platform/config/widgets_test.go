package config

import (
	"strings"
	"testing"
)

func TestWidgetCaps(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	want := Widgets{HeatmapMaxBuilds: 40, BarchartMaxBuilds: 150, HeatmapRunLimit: 3000, JobViewRunLimit: 8000, FilterModeLimit: 200, RunMatrixMaxRuns: 100}
	if c.Widgets != want {
		t.Fatalf("defaults %+v, want upstream's %+v", c.Widgets, want)
	}
	path := writeFile(t, "widgets:\n  heatmap_max_builds: 12\n  filter_mode_limit: 50\n")
	t.Setenv("WIDGET_JJV_RUN_LIMIT", "900")
	if c, err = Load(path); err != nil {
		t.Fatal(err)
	}
	if c.Widgets.HeatmapMaxBuilds != 12 || c.Widgets.FilterModeLimit != 50 || c.Widgets.JobViewRunLimit != 900 || c.Widgets.RunMatrixMaxRuns != 100 {
		t.Fatalf("file/env not applied: %+v", c.Widgets)
	}
	for _, env := range []string{"WIDGET_HEATMAP_MAX_BUILDS", "WIDGET_BARCHART_MAX_BUILDS", "WIDGET_HEATMAP_RUN_LIMIT", "WIDGET_JJV_RUN_LIMIT", "WIDGET_FILTER_MODE_LIMIT", "WIDGET_RUN_MATRIX_MAX_RUNS"} {
		for _, bad := range []string{"0", "many"} {
			t.Run(env+"="+bad, func(t *testing.T) {
				t.Setenv(env, bad)
				_, err := Load("")
				if err == nil || !strings.HasPrefix(err.Error(), env+":") {
					t.Fatalf("want error naming %s, got %v", env, err)
				}
			})
		}
	}
}
