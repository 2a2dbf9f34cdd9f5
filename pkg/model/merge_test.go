package model

import (
	"reflect"
	"testing"
)

func TestDeepMerge(t *testing.T) {
	stored := map[string]any{"team": "x", "env": "qa", "nested": map[string]any{"a": 1, "b": 2}, "tags": []any{"a"}, "obj": map[string]any{"k": 1}}
	update := map[string]any{"classification": "test_failure", "env": nil, "nested": map[string]any{"b": 3, "c": 4}, "tags": []any{"b"}, "obj": "scalar", "new": nil}
	got := DeepMerge(stored, update)
	want := map[string]any{"team": "x", "env": "qa", "classification": "test_failure", "nested": map[string]any{"a": 1, "b": 3, "c": 4}, "tags": []any{"b"}, "obj": "scalar", "new": nil}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if stored["env"] != "qa" || len(stored) != 5 {
		t.Fatal("input mutated")
	}
}

func TestFillMissingAndUserProperties(t *testing.T) {
	md := map[string]any{"project": "p1", "team": nil, "deep": map[string]any{"a": 1}, "user_properties": map[string]any{"team": "x", "project": "other", "deep": map[string]any{"a": 9, "b": 2}}}
	got := FlattenUserProperties(md)
	want := map[string]any{"project": "p1", "team": "x", "deep": map[string]any{"a": 1, "b": 2}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	if same := FlattenUserProperties(map[string]any{"user_properties": "str"}); same["user_properties"] != "str" {
		t.Fatal("non-object user_properties must be left alone")
	}
}
