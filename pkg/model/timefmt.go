package model

import (
	"fmt"
	"strings"
	"time"
)

// FormatTime renders a stored (UTC) timestamp as upstream's JSON encoder
// does: ISO-8601 with a literal Z, microseconds only when non-zero.
func FormatTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 != 0 {
		return t.Format("2006-01-02T15:04:05.000000Z")
	}
	return t.Format("2006-01-02T15:04:05Z")
}

// FormatTimePtr is FormatTime for nullable columns (nil stays null).
func FormatTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := FormatTime(*t)
	return &s
}

// inputLayouts are the forms Python's datetime.fromisoformat accepts that
// clients send: dates, datetimes with T or space, optional fraction, optional
// offset (a trailing Z is treated as +00:00).
var inputLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15",
	"2006-01-02",
}

// ParseTime parses a client-supplied ISO-8601 datetime into UTC, truncated
// to microseconds (what PostgreSQL stores). Naive values are taken as UTC.
func ParseTime(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if strings.HasSuffix(v, "z") {
		v = v[:len(v)-1] + "Z"
	}
	for _, l := range inputLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC().Truncate(time.Microsecond), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO-8601 date-time", s)
}
