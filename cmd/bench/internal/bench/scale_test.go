package bench

import (
	"slices"
	"testing"
)

// TestWithIngest: --clients and --requests replace the scale's ingest
// levels and requests, empty and zero keep them, and a level that is not a
// positive number is refused rather than run as 0 clients.
func TestWithIngest(t *testing.T) {
	small := Scales["small"]
	s, err := small.WithIngest("", 0)
	if err != nil || s.Ingest != small.Ingest || !slices.Equal(s.Clients, small.Clients) {
		t.Fatalf("no override: %d requests, clients %v, %v; want the scale's", s.Ingest, s.Clients, err)
	}
	s, err = small.WithIngest("32, 128", 9000)
	if err != nil || s.Ingest != 9000 || !slices.Equal(s.Clients, []int{32, 128}) {
		t.Fatalf("override: %d requests, clients %v, %v; want 9000 and [32 128]", s.Ingest, s.Clients, err)
	}
	if !slices.Equal(small.Clients, []int{1, 8, 32, 128}) {
		t.Fatalf("WithIngest changed the named scale: %v", small.Clients)
	}
	for _, bad := range []string{"0", "-8", "8,", "8x", "eight"} {
		if _, err := small.WithIngest(bad, 0); err == nil {
			t.Errorf("clients %q accepted", bad)
		}
	}
	if _, err := small.WithIngest("", -1); err == nil {
		t.Error("negative requests accepted")
	}
}
