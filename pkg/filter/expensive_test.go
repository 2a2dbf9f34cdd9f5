package filter

import "testing"

func TestExpensive(t *testing.T) {
	for f, want := range map[string]bool{
		"test_id~([ab]*[ab]*[ab]*){50}c": true, "metadata.env%prod": true, "result=passed": false,
		"metadata.tags*a;b": false, "duration>1": false, "not a filter": false, "": false,
		"metadata.env!x": false, "summary.failures)1": false,
	} {
		if got := Expensive([]string{"project_id=00000000-0000-0000-0000-000000000000", f}); got != want {
			t.Errorf("%q: %v, want %v", f, got, want)
		}
	}
}
