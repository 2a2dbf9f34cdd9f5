package config

import (
	"strings"
	"testing"
)

func TestScheduleDefaultsAndOverrides(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	want := Schedule{
		"prune-old-import-files":   {Spec: "0 2 * * *", Enabled: true},
		"prune-old-artifact-files": {Spec: "0 4 * * 6", Enabled: true},
		"prune-old-results":        {Spec: "0 5 * * 6", Enabled: true},
		"prune-old-runs":           {Spec: "0 6 * * 6", Enabled: true},
		"sync-aborted-runs":        {Spec: "@every 30m", Enabled: true},
		"compact-result-counts":    {Spec: "@every 10m", Enabled: true},
		"repair-stuck-imports":     {Spec: "@every 15m", Enabled: true},
		"fingerprint-backfill":     {Spec: "@every 1h", Enabled: true},
		"webhook-sweep":            {Spec: "@every 1m", Enabled: true},
		"webhook-prune":            {Spec: "@every 1h", Enabled: true},
		"finish-quiet-runs":        {Spec: "@every 1m", Enabled: true},
		"flaky-refresh":            {Spec: "@every 30m", Enabled: true},
		"artifact-objects":         {Spec: "@every 15m", Enabled: true},
		"s3-watch":                 {Spec: "@every 1m", Enabled: true},
	}
	if len(c.Schedule) != len(want) {
		t.Fatalf("schedule %v", c.Schedule)
	}
	for name, e := range want {
		if c.Schedule[name] != e {
			t.Errorf("%s: %+v, want upstream's %+v", name, c.Schedule[name], e)
		}
	}
	path := writeFile(t, "schedule:\n  prune_old_runs:\n    spec: \"30 1 * * *\"\n  prune_old_results:\n    enabled: false\n    spec: nonsense\n")
	t.Setenv("SCHEDULE_SYNC_ABORTED_RUNS", "@every 5m")
	if c, err = Load(path); err != nil {
		t.Fatal(err)
	}
	if c.Schedule["prune-old-runs"] != (ScheduleEntry{Spec: "30 1 * * *", Enabled: true}) ||
		c.Schedule["sync-aborted-runs"].Spec != "@every 5m" || c.Schedule["prune-old-results"].Enabled {
		t.Fatalf("overrides not applied: %v", c.Schedule)
	}
}

func TestBadCronSpecNamesTheVariable(t *testing.T) {
	for _, tc := range []struct{ env, val string }{
		{"SCHEDULE_PRUNE_OLD_IMPORT_FILES", "0 2 * *"},
		{"SCHEDULE_PRUNE_OLD_ARTIFACT_FILES", "61 * * * *"},
		{"SCHEDULE_PRUNE_OLD_RESULTS", "every day"},
		{"SCHEDULE_PRUNE_OLD_RUNS", "0 6 * * 8"},
		{"SCHEDULE_SYNC_ABORTED_RUNS", "@every soon"},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Setenv(tc.env, tc.val)
			_, err := Load("")
			if _, ok := err.(*Error); !ok || !strings.HasPrefix(err.Error(), tc.env+":") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("want one-line config error naming %s, got %v", tc.env, err)
			}
			t.Setenv(tc.env+"_ENABLED", "false")
			if _, err := Load(""); err != nil {
				t.Fatalf("a disabled entry's spec is not checked: %v", err)
			}
		})
	}
}
