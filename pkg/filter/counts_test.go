package filter

import "testing"

func TestOnlyColumns(t *testing.T) {
	for _, c := range []struct {
		filters []string
		want    bool
	}{
		{nil, true},
		{[]string{"project_id=4a5c2d54-6c0e-4a57-9f6e-7c3b0c2a9d11", "result=failed", "env*ci;prod", "component~^api"}, true},
		{[]string{"result@y", "not a filter", ""}, true},
		{[]string{"result=failed", "test_id=t"}, false},
		{[]string{"metadata.component=api"}, false},
		{[]string{"start_time>2024-01-01"}, false},
	} {
		if got := OnlyColumns(ResultCounts, c.filters); got != c.want {
			t.Errorf("OnlyColumns(%q) = %v, want %v", c.filters, got, c.want)
		}
	}
	// Every count column exists on results with the same kind.
	for col, kind := range ResultCounts.Columns {
		if Results.Columns[col] != kind {
			t.Errorf("column %s: counts %v, results %v", col, kind, Results.Columns[col])
		}
	}
}
