package config

import (
	"fmt"
	"testing"
)

func TestParseWatch(t *testing.T) {
	got, ok := parseWatch(" results/pytest=proj-a ; other=a, b\nthird/x/y=p")
	if !ok || fmt.Sprint(got) != "[{results pytest [proj-a]} {other  [a b]} {third x/y [p]}]" {
		t.Fatalf("%v %v", got, ok)
	}
	for _, bad := range []string{"bucket", "=p", "b=", "b= , "} {
		if _, ok := parseWatch(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
