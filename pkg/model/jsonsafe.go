package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"time"
)

// MarshalJSON encodes v compactly and without HTML escaping (the API's
// answers, live events, webhook bodies), even when v holds values JSON cannot carry: rows
// stored before the API bounded durations and times (or by upstream's
// server sharing the database, or by hand) may hold a NaN or infinite
// duration, widgets may sum finite ones beyond float64, and a time.Time
// beyond year 9999 has no RFC 3339 form. encoding/json refuses the whole
// answer for one such value; here the answer is encoded again from a copy
// in which a non-finite number is null where it may be (behind a pointer,
// in a map or an interface) and clamped where it may not (±MaxFloat64, NaN
// as 0), and a time is clamped into the years 1-9999 (ClampTime). The copy
// is made only when the first encoding fails, so a well-formed answer
// costs nothing more. Any other error (a cycle, a channel) is returned.
func MarshalJSON(v any) ([]byte, error) {
	b, err := encodeJSON(v)
	if err == nil {
		return b, nil
	}
	var unsupported *json.UnsupportedValueError
	var marshaler *json.MarshalerError
	if !errors.As(err, &unsupported) && !errors.As(err, &marshaler) {
		return nil, err
	}
	return encodeJSON(JSONSafe(v))
}

func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err //nolint:wrapcheck // the caller tells the kind of failure apart
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// JSONSafe is v, or a copy of it with the values JSON cannot carry made
// carriable (see MarshalJSON). Unexported fields are copied as they are:
// encoding/json does not read them.
func JSONSafe(v any) any {
	if v == nil {
		return nil
	}
	return safeValue(reflect.ValueOf(v), 0).Interface()
}

// maxSafeDepth bounds the copy's recursion: a cycle (which encoding/json
// refuses too) is left as it is, and the answer becomes a logged 500
// rather than a stack overflow.
const maxSafeDepth = 256

var timeType = reflect.TypeFor[time.Time]()

// safeValue returns a value of v's type that JSON can carry. A non-finite
// float is reported by nonFinite so its container can make it null.
func safeValue(v reflect.Value, depth int) reflect.Value {
	if depth > maxSafeDepth {
		return v
	}
	depth++
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			n := reflect.New(v.Type()).Elem()
			n.SetFloat(clampFloat(f, v.Type().Bits()))
			return n
		}
		return v
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		if nonFinite(v.Elem()) {
			return reflect.Zero(v.Type())
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(safeValue(v.Elem(), depth))
		return p
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		if !nonFinite(v.Elem()) {
			n.Set(safeValue(v.Elem(), depth))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			e := it.Value()
			if nonFinite(e) && nullable(v.Type().Elem()) {
				n.SetMapIndex(it.Key(), reflect.Zero(v.Type().Elem()))
				continue
			}
			n.SetMapIndex(it.Key(), safeValue(e, depth))
		}
		return n
	case reflect.Slice:
		if v.IsNil() || v.Type().Elem().Kind() == reflect.Uint8 {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(safeValue(v.Index(i), depth))
		}
		return n
	case reflect.Array:
		n := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			n.Index(i).Set(safeValue(v.Index(i), depth))
		}
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v)
		if v.Type() == timeType {
			n.Set(reflect.ValueOf(ClampTime(v.Interface().(time.Time)))) //nolint:forcetypeassert // the type was just checked
			return n
		}
		for i := range v.NumField() {
			if f := n.Field(i); f.CanSet() {
				f.Set(safeValue(v.Field(i), depth))
			}
		}
		return n
	}
	return v
}

// nonFinite reports whether v is (or holds, through an interface) a NaN or
// an infinite float.
func nonFinite(v reflect.Value) bool {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if k := v.Kind(); k != reflect.Float32 && k != reflect.Float64 {
		return false
	}
	f := v.Float()
	return math.IsNaN(f) || math.IsInf(f, 0)
}

// nullable reports whether a value of type t may be JSON null.
func nullable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		return true
	}
	return false
}

// clampFloat is f's nearest finite value of the given size, 0 for NaN.
func clampFloat(f float64, bits int) float64 {
	maxF := math.MaxFloat64
	if bits == 32 {
		maxF = math.MaxFloat32
	}
	switch {
	case math.IsNaN(f):
		return 0
	case f > 0:
		return maxF
	}
	return -maxF
}
