package jsonlimit

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func TestCutsLongStrings(t *testing.T) {
	long := strings.Repeat("é", 100) // 2 bytes each
	in := `{"a":"` + long + `","b":"x\"y\u00e9z","c":[1,2,{"d":true}]}`
	b, err := io.ReadAll(New(strings.NewReader(in), 11))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	a := v["a"].(string)
	if !Truncated(a) || !strings.HasPrefix(a, strings.Repeat("é", 5)) || len(a) != 12+len(Marker) {
		t.Errorf("a = %q", a)
	}
	if v["b"] != "x\"yéz" {
		t.Errorf("b = %q", v["b"])
	}
}

func TestEscapeAtTheCut(t *testing.T) {
	in := `["abcd\"efgh\\ij\u0041kl", "z"]`
	for bound := 1; bound < 24; bound++ {
		b, err := io.ReadAll(New(strings.NewReader(in), bound))
		if err != nil {
			t.Fatal(err)
		}
		var v []string
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("bound %d: %v: %s", bound, err, b)
		}
		if v[1] != "z" {
			t.Errorf("bound %d: %q", bound, v)
		}
	}
}

func TestRefusesLongNumbersAndDeepNesting(t *testing.T) {
	if _, err := io.ReadAll(New(strings.NewReader(`[`+strings.Repeat("1", 100)+`]`), 50)); err == nil {
		t.Error("a 100-digit number passed a 50-byte bound")
	}
	if _, err := io.ReadAll(New(strings.NewReader(strings.Repeat("[", MaxDepth+1)), 0)); err == nil {
		t.Error("deep nesting passed")
	}
}

// FuzzValidStaysValid: whatever the bound, valid JSON in is valid JSON out,
// and strings within the bound come out unchanged.
func FuzzValidStaysValid(f *testing.F) {
	f.Add([]byte(`{"a":"héllo \"x\" \u00e9\\","b":[1,2.5,true,null]}`), 3)
	f.Add([]byte(`["`+strings.Repeat("ab\\n", 50)+`"]`), 17)
	f.Fuzz(func(t *testing.T, b []byte, bound int) {
		if !json.Valid(b) || bound < 0 || bound > 1<<16 {
			return
		}
		out, err := io.ReadAll(New(strings.NewReader(string(b)), bound))
		if err != nil {
			return // a bare token over the bound, or deep nesting
		}
		if !json.Valid(out) {
			t.Fatalf("bound %d: %q -> invalid %q", bound, b, out)
		}
		if bound == 0 && string(out) != string(b) {
			t.Fatalf("no bound changed %q to %q", b, out)
		}
	})
}
