package model

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestNumberFits(t *testing.T) {
	for s, want := range map[string]bool{
		"1": true, "-0": true, "1.5e300": true, "123456789012345678901234567890": true, "1e-320": true, "0e-300": true,
		"1e400": false, "-1e309": false, "1e-400000": false, "0e-999999": false, "1e999999999999": false,
	} {
		if got := NumberFits(json.Number(s)); got != want {
			t.Errorf("NumberFits(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestCheckJSONNamesTheField(t *testing.T) {
	for raw, path := range map[string]string{
		`{"metadata":{"n":1e400}}`:             "metadata.n",
		`{"a":[1,{"b":"x\u0000"}]}`:            "a[1].b",
		`{"a":{"k\u0000":1}}`:                  `a.k\u0000`,
		`{"ok":[1,2,"x"],"z":{"y":1e-999999}}`: "z.y",
	} {
		var v any
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		var ve *JSONValueError
		if err := CheckJSON("", v); !errors.As(err, &ve) || ve.Path != path {
			t.Errorf("CheckJSON(%s) = %v, want a problem at %s", raw, err, path)
		}
	}
}

// TestScanServesOutOfRangeNumbers: a stored number no float64 holds is read
// back as its text instead of failing the whole row.
func TestScanServesOutOfRangeNumbers(t *testing.T) {
	var j JSON
	if err := j.Scan([]byte(`{"n": 1e400, "ok": 1.5, "l": [-1e400, {"m": 2}]}`)); err != nil {
		t.Fatalf("scan: %v", err)
	}
	if j["n"] != "1e400" || j["ok"] != 1.5 || j["l"].([]any)[0] != "-1e400" || j["l"].([]any)[1].(map[string]any)["m"] != float64(2) {
		t.Fatalf("scanned %#v", j)
	}
	if err := j.Scan([]byte(`{"n": `)); err == nil {
		t.Fatal("broken JSON must still be an error")
	}
}
