// Package jsontest holds the JSON helpers tests share: what a value
// encodes to, for comparing answers and rows as their clients see them.
package jsontest

import (
	"encoding/json"
	"testing"
)

// String is v encoded as JSON; a value that does not encode fails the test.
func String(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
