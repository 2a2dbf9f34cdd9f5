package model

// Optional is one field of a partial update (PUT merges what the body
// names): Set tells a field the body names from one it leaves out, and
// Value is nil when the body names it as null. A plain pointer cannot tell
// "leave it" from "clear it", which nullable columns need.
type Optional[T any] struct {
	Set   bool
	Value *T
}

// OptionalOf reads key from a decoded JSON object: Set when the key is
// present, Value when its value is a T (nil for null, or for another type a
// schema check has already refused).
func OptionalOf[T any](body map[string]any, key string) Optional[T] {
	v, ok := body[key]
	if !ok {
		return Optional[T]{}
	}
	if t, ok := v.(T); ok {
		return Optional[T]{Set: true, Value: &t}
	}
	return Optional[T]{Set: true}
}
