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

func TestOnlyFieldsOfRunSums(t *testing.T) {
	for _, c := range []struct {
		filters []string
		want    bool
	}{
		{nil, true},
		{[]string{"env=ci", "component~^api", "source!a", "metadata.jenkins.job_name*J;K", "data.jenkins.job_name@y", "project_id=4a5c2d54-6c0e-4a57-9f6e-7c3b0c2a9d11"}, true},
		{[]string{"not a filter", ""}, true},
		{[]string{"env=ci", "summary.tests>1"}, false},
		{[]string{"metadata.jenkins.build_number=1"}, false},
		{[]string{"metadata.jenkins@y"}, false},
		{[]string{"data@y"}, false},
		{[]string{"start_time>2024-01-01"}, false},
	} {
		if got := OnlyFields(RunSumFields, c.filters); got != c.want {
			t.Errorf("OnlyFields(RunSumFields, %q) = %v, want %v", c.filters, got, c.want)
		}
	}
	// Every column of the sums has the runs' kind, and every field of
	// RunSumFields resolves on both tables.
	for col, kind := range RunSums.Columns {
		if Runs.Columns[col] != kind {
			t.Errorf("column %s: run sums %v, runs %v", col, kind, Runs.Columns[col])
		}
	}
	for f := range RunSumFields {
		if _, ok := resolve(RunSums, f); !ok {
			t.Errorf("%s does not resolve on run sums", f)
		}
		if _, ok := resolve(Runs, f); !ok {
			t.Errorf("%s does not resolve on runs", f)
		}
	}
}
