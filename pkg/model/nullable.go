package model

// Nullable is a field of a partial update whose JSON key may be absent
// (Set false: keep the stored value), null (Set true, Value nil: clear it)
// or a value. A plain pointer cannot tell the first two apart.
type Nullable[T any] struct {
	Set   bool
	Value *T
}

// NullableString reads key of a decoded JSON body whose schema types it as
// a nullable string.
func NullableString(body map[string]any, key string) Nullable[string] {
	v, set := body[key]
	s, ok := v.(string)
	if !ok {
		return Nullable[string]{Set: set}
	}
	return Nullable[string]{Set: true, Value: &s}
}
