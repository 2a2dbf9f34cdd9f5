package model

import (
	"math"
	"testing"
	"time"
)

// TestMarshalJSONSafe: what JSON cannot carry is null where it may be and
// clamped where it may not; times are clamped into the years 1-9999; the
// value given is left as it was.
func TestMarshalJSONSafe(t *testing.T) {
	type Live struct {
		At *time.Time `json:"at"`
	}
	type view struct {
		Sum      float64        `json:"sum"`
		Neg      float32        `json:"neg"`
		Duration *float64       `json:"duration"`
		Start    time.Time      `json:"start"`
		Summary  map[string]any `json:"summary"`
		List     []any          `json:"list"`
		*Live
	}
	inf, late := math.Inf(1), time.Date(10000, 1, 1, 4, 0, 0, 0, time.UTC)
	v := view{Sum: math.NaN(), Neg: float32(math.Inf(-1)), Duration: &inf, Start: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		Summary: map[string]any{"d": math.Inf(-1), "n": 2}, List: []any{math.NaN(), "x"}, Live: &Live{At: &late}}
	b, err := MarshalJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"sum":0,"neg":-3.4028235e+38,"duration":null,"start":"0001-01-01T00:00:00Z",` +
		`"summary":{"d":null,"n":2},"list":[null,"x"],"at":"9999-12-31T23:59:59.999999Z"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	if !math.IsInf(*v.Duration, 1) || !v.At.Equal(late) || !math.IsInf(v.Summary["d"].(float64), -1) {
		t.Errorf("the value given was changed: %+v", v)
	}
	if got := FormatTime(late); got != "9999-12-31T23:59:59.999999Z" {
		t.Errorf("FormatTime(year 10000) = %q", got)
	}
}

// TestMarshalJSONCycle: a cycle is an error, not a stack overflow.
func TestMarshalJSONCycle(t *testing.T) {
	type node struct {
		D    float64 `json:"d"`
		Next *node   `json:"next"`
	}
	n := &node{D: math.NaN()}
	n.Next = n
	if _, err := MarshalJSON(n); err == nil {
		t.Error("a cycle encoded")
	}
}
