package model

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzDeepMerge feeds DeepMerge (the metadata merge of PUT /api/result and
// /api/run) arbitrary pairs of JSON objects and checks it never panics,
// never mutates its inputs, follows the merge rules key by key
// (docs/api-compatibility.md#update-merge-semantics), is idempotent, and yields
// metadata that still encodes as JSON.
func FuzzDeepMerge(f *testing.F) {
	f.Add([]byte(`{"team":"x","env":"qa","nested":{"a":1,"b":2},"tags":["a"]}`), []byte(`{"env":null,"nested":{"b":3,"c":4},"tags":["b"],"new":null}`))
	f.Add([]byte(`{"a":{"b":{"c":{"d":1}}}}`), []byte(`{"a":{"b":{"c":{"e":null}}}}`))
	f.Add([]byte(`{"a":1}`), []byte(`{"a":{"b":1}}`))
	f.Add([]byte(`{"a":{"b":1}}`), []byte(`{"a":1}`))
	f.Add([]byte(`{}`), []byte(`{"":null,"\u0000":[{}]}`))
	f.Add([]byte(`{"x":1e308,"y":-0}`), []byte(`{"x":null,"y":{"z":"\ud800"}}`))
	f.Fuzz(func(t *testing.T, storedJSON, updateJSON []byte) {
		var stored, update map[string]any
		if json.Unmarshal(storedJSON, &stored) != nil || json.Unmarshal(updateJSON, &update) != nil || stored == nil || update == nil {
			return
		}
		storedCopy, updateCopy := clone(t, stored), clone(t, update)
		out := DeepMerge(stored, update)
		if !reflect.DeepEqual(stored, storedCopy) || !reflect.DeepEqual(update, updateCopy) {
			t.Fatalf("DeepMerge mutated its input:\nstored %v (was %v)\nupdate %v (was %v)", stored, storedCopy, update, updateCopy)
		}
		checkMerge(t, "", storedCopy, updateCopy, out)
		if again := DeepMerge(out, update); !reflect.DeepEqual(again, out) {
			t.Fatalf("not idempotent:\nonce  %v\ntwice %v", out, again)
		}
		raw, err := json.Marshal(out)
		if err != nil {
			t.Fatalf("merged metadata does not encode: %v", err)
		}
		var back map[string]any
		if err := json.Unmarshal(raw, &back); err != nil || !reflect.DeepEqual(back, clone(t, out)) {
			t.Fatalf("merged metadata does not survive a JSON round trip: %v", err)
		}
	})
}

// checkMerge verifies out against the rules, key by key.
func checkMerge(t *testing.T, path string, stored, update, out map[string]any) {
	t.Helper()
	for k, sv := range stored {
		if _, ok := update[k]; !ok && !reflect.DeepEqual(out[k], sv) {
			t.Fatalf("%s%s: untouched key changed from %v to %v", path, k, sv, out[k])
		}
	}
	for k, uv := range update {
		sv, had := stored[k]
		got, present := out[k]
		if !present {
			t.Fatalf("%s%s: key missing from the result", path, k)
		}
		switch um, isMap := uv.(map[string]any); {
		case uv == nil && had:
			if !reflect.DeepEqual(got, sv) {
				t.Fatalf("%s%s: null must keep %v, got %v", path, k, sv, got)
			}
		case uv == nil:
			if got != nil {
				t.Fatalf("%s%s: null for a new key must stay null, got %v", path, k, got)
			}
		case isMap:
			if sm, ok := sv.(map[string]any); ok {
				gm, ok := got.(map[string]any)
				if !ok {
					t.Fatalf("%s%s: two objects must merge into an object, got %T", path, k, got)
				}
				checkMerge(t, path+k+".", sm, um, gm)
			} else if !reflect.DeepEqual(got, uv) {
				t.Fatalf("%s%s: object must replace %v, got %v", path, k, sv, got)
			}
		default:
			if !reflect.DeepEqual(got, uv) {
				t.Fatalf("%s%s: %v must replace %v, got %v", path, k, uv, sv, got)
			}
		}
	}
	if len(out) != len(union(stored, update)) {
		t.Fatalf("%s: result has keys of its own: %v", path, out)
	}
}

func union(a, b map[string]any) map[string]bool {
	u := make(map[string]bool, len(a)+len(b))
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// clone deep-copies a decoded JSON object through JSON.
func clone(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}
