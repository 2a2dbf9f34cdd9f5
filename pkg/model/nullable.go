package model

import (
	"bytes"
	"encoding/json"
)

// Nullable is a field of a partial update whose JSON key may be absent
// (Set false: keep the stored value), null (Set true, Value nil: clear it)
// or a value. A plain pointer cannot tell the first two apart, which
// nullable columns need. Request structs decode into it with encoding/json
// (UnmarshalJSON); handlers that hold a decoded object use NullableOf.
type Nullable[T any] struct {
	Set   bool
	Value *T
}

// NullableOf reads key from a decoded JSON object: Set when the key is
// present, Value when its value is a T (nil for null, or for another type a
// schema check has already refused).
func NullableOf[T any](body map[string]any, key string) Nullable[T] {
	v, ok := body[key]
	if !ok {
		return Nullable[T]{}
	}
	if t, ok := v.(T); ok {
		return Nullable[T]{Set: true, Value: &t}
	}
	return Nullable[T]{Set: true}
}

// UnmarshalJSON records presence; numbers inside stay json.Number, as the
// shared body decoding keeps them.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Value = nil
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v T
	if err := dec.Decode(&v); err != nil {
		return err
	}
	n.Value = &v
	return nil
}
