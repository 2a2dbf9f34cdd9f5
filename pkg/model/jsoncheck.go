package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// JSONValueError names the first value of a decoded JSON document that the
// server must not store: a NUL character (PostgreSQL text and jsonb cannot
// hold U+0000) or a number outside float64's range (jsonb would keep it, but
// no reader of the row could decode it again). Path is the dotted field path,
// e.g. "metadata.n" or "metadata.tags[2]".
type JSONValueError struct {
	Path    string
	Problem string
}

func (e *JSONValueError) Error() string { return e.Path + ": " + e.Problem }

// CheckJSON walks a value decoded with json.Decoder.UseNumber and returns a
// *JSONValueError for the first NUL character (in a key or a string) or
// out-of-range number it finds, nil if the value can be stored and read back.
// Keys are visited in sorted order so the error is deterministic. root is the
// path prefix ("" for a whole body).
func CheckJSON(root string, v any) error {
	switch x := v.(type) {
	case string:
		if strings.ContainsRune(x, 0) {
			return &JSONValueError{Path: pathOrBody(root), Problem: "contains a NUL character, which cannot be stored"}
		}
	case json.Number:
		if !NumberFits(x) {
			return &JSONValueError{Path: pathOrBody(root), Problem: fmt.Sprintf("the number %.40s does not fit a 64-bit float", x.String())}
		}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return &JSONValueError{Path: pathOrBody(root), Problem: "NaN and Infinity are not JSON numbers"}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := joinPath(root, k)
			if strings.ContainsRune(k, 0) {
				return &JSONValueError{Path: p, Problem: "the key contains a NUL character, which cannot be stored"}
			}
			if err := CheckJSON(p, x[k]); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if err := CheckJSON(fmt.Sprintf("%s[%d]", root, i), e); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxNumberText bounds a number's text and its exponent's magnitude. Every
// float64 prints well within it, and it keeps numbers inside PostgreSQL
// numeric's range (16383 digits after the point), which refuses 0e-999999.
const maxNumberText = 400

// NumberFits reports whether a JSON number can be stored and read back: it
// parses as a finite float64 (large integers are fine: they round like every
// JSON reader rounds them), a non-zero one does not underflow to 0, and its
// text and exponent stay within maxNumberText.
func NumberFits(n json.Number) bool {
	s := n.String()
	if len(s) > maxNumberText {
		return false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return false
	}
	mantissa, exp, _ := strings.Cut(strings.ToLower(s), "e")
	if e, err := strconv.Atoi(exp); exp != "" && (err != nil || e > maxNumberText || e < -maxNumberText) {
		return false
	}
	return f != 0 || !strings.ContainsAny(mantissa, "123456789")
}

func joinPath(root, k string) string {
	k = strings.ReplaceAll(k, "\x00", `\u0000`)
	if root == "" {
		return k
	}
	return root + "." + k
}

func pathOrBody(p string) string {
	if p == "" {
		return "body"
	}
	return p
}

// decodeStored decodes a stored JSON object whose numbers json.Unmarshal
// refused (a row written by another writer, e.g. SQL with 1e400 in jsonb):
// numbers that fit become float64 as usual, the others are kept as their
// text, so the row is still served and can be repaired through the API.
func decodeStored(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	m := map[string]any{}
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return tameNumbers(m).(map[string]any), nil
}

// tameNumbers turns the numbers of a decoded document into float64s, or
// their text when they do not fit one.
func tameNumbers(v any) any {
	return MapNumbers(v, func(n json.Number) any {
		if f, err := strconv.ParseFloat(n.String(), 64); err == nil && !math.IsInf(f, 0) {
			return f
		}
		return n.String()
	})
}

// MapNumbers replaces, in place, every json.Number of a document decoded
// with UseNumber (objects, arrays and scalars) by conv's value for it, and
// returns the document. The body decoders use it to settle how numbers are
// kept once a document has been checked.
func MapNumbers(v any, conv func(json.Number) any) any {
	switch x := v.(type) {
	case json.Number:
		return conv(x)
	case map[string]any:
		for k, e := range x {
			x[k] = MapNumbers(e, conv)
		}
	case []any:
		for i, e := range x {
			x[i] = MapNumbers(e, conv)
		}
	}
	return v
}
