package db

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestRunPassesBackfill migrates to just before 00010 on both databases,
// stores summaries as earlier releases left them, and checks what 00010
// makes of each: passes and pass_percent added by the summary rule, an
// existing pass_percent kept, and summaries that already have passes or hold
// non-numbers left exactly as they were. A second migration changes nothing.
func TestRunPassesBackfill(t *testing.T) {
	cases := []struct {
		name, before string
		want         map[string]float64 // nil: summary unchanged
	}{
		{"junit import", `{"tests": 8, "failures": 2, "errors": 1, "skips": 1}`,
			map[string]float64{"passes": 4, "pass_percent": 50}},
		{"floor", `{"tests": 3, "failures": 1}`, map[string]float64{"passes": 2, "pass_percent": 66}},
		{"no tests", `{"tests": 0}`, map[string]float64{"passes": 0, "pass_percent": 0}},
		{"more failures than tests", `{"tests": 1, "failures": 3}`, map[string]float64{"passes": -2, "pass_percent": 0}},
		{"upstream pass_percent kept", `{"tests": 4, "failures": 1, "pass_percent": 70}`,
			map[string]float64{"passes": 3, "pass_percent": 70}},
		{"already has passes", `{"tests": 4, "passes": 1}`, nil},
		{"string count", `{"tests": 4, "failures": "x"}`, nil},
		{"no tests key", `{"failures": 2}`, nil},
	}
	for _, open := range []struct {
		name string
		open func(*testing.T) *DB
	}{{"postgres", openPG}, {"sqlite", openTestSQLite}} {
		t.Run(open.name, func(t *testing.T) {
			ctx := context.Background()
			d := open.open(t)
			migrateUpTo(t, d, 9)
			ids, now := make([]uuid.UUID, len(cases)), time.Now().UTC()
			for i, c := range cases {
				ids[i] = uuid.New()
				if err := d.Gorm.Exec("INSERT INTO runs (id, created, start_time, summary) VALUES (?, ?, ?, ?)", ids[i].String(), now, now, c.before).Error; err != nil {
					t.Fatal(err)
				}
			}
			for range 2 {
				if err := d.Migrate(ctx, quiet()); err != nil {
					t.Fatal(err)
				}
				for i, c := range cases {
					var raw string
					if err := d.Gorm.Raw("SELECT summary FROM runs WHERE id = ?", ids[i].String()).Row().Scan(&raw); err != nil {
						t.Fatal(err)
					}
					got, before := map[string]any{}, map[string]any{}
					if err := json.Unmarshal([]byte(raw), &got); err != nil {
						t.Fatal(err)
					}
					_ = json.Unmarshal([]byte(c.before), &before)
					if c.want == nil {
						if len(got) != len(before) || got["passes"] != before["passes"] {
							t.Errorf("%s: summary changed to %s", c.name, raw)
						}
						continue
					}
					for k, v := range c.want {
						if got[k] != v {
							t.Errorf("%s: %s = %v, want %v (summary %s)", c.name, k, got[k], v, raw)
						}
					}
					if got["tests"] != before["tests"] {
						t.Errorf("%s: tests changed: %s", c.name, raw)
					}
				}
			}
		})
	}
}
