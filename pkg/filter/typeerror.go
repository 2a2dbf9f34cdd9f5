package filter

import "fmt"

// kindNames say in words what a value of each typed kind must look like; a
// filter value that does not fit is answered with this text (HTTP 400)
// instead of silently matching nothing, so `duration>abc` or
// `start_time>yesterday` tell the user what is wrong. Text and JSON text
// paths take any value and never reach typeError.
var kindNames = map[Kind]string{
	UUID:      "a UUID",
	Int:       "a whole number",
	Float:     "a number",
	Timestamp: "a date or date-time in ISO 8601 such as 2024-05-01 or 2024-05-01T12:00:00Z",
	Bool:      "true or false",
}

// typeError is the ErrInvalid for a value of field that cannot be of kind k.
// Its message names the field, the expected type and the value, and is
// safe to show to the client (the value is the client's own text).
func typeError(field string, k Kind, value string) error {
	want, ok := kindNames[k]
	if !ok {
		want = "a value of another type"
	}
	return fmt.Errorf("%w: %s takes %s, not %q", ErrInvalid, field, want, value)
}
