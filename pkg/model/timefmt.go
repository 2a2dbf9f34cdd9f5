package model

import (
	"fmt"
	"strings"
	"time"
)

// FormatTime renders a stored (UTC) timestamp as upstream's JSON encoder
// does: ISO-8601 with a literal Z, microseconds only when non-zero.
func FormatTime(t time.Time) string {
	t = ClampTime(t).UTC()
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
			if !TimeFits(t) {
				return time.Time{}, fmt.Errorf("%q is outside the years 0001 to 9999 in UTC", s)
			}
			return t.UTC().Truncate(time.Microsecond), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO-8601 date-time", s)
}

// TimeFits reports whether t's year, in UTC, is one the API writes and
// reads back in four digits (1 to 9999). ParseTime refuses others (an
// offset can carry 9999-12-31T23:00:00-05:00 into year 10000), the
// importers ignore them (a CTRF or Allure start in epoch milliseconds may
// name any year): SQLite stored year 10000 but could not read the row back
// (a 500 for every list of the project), and PostgreSQL served
// "10000-01-01T04:00:00Z", which no ISO-8601 reader takes.
func TimeFits(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

// Bounds of the times the API serves: the first and the last microsecond
// of the years 1 to 9999 in UTC.
var (
	minServedTime = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)
	maxServedTime = time.Date(9999, time.December, 31, 23, 59, 59, 999999000, time.UTC)
)

// ClampTime is t within the years 1 to 9999 in UTC. A row stored before
// ParseTime refused such times (or by another writer) must still be served
// in a form every ISO-8601 reader, and encoding/json, accepts: the API
// shows the nearest time it could have been given instead.
func ClampTime(t time.Time) time.Time {
	switch {
	case t.Before(minServedTime):
		return minServedTime
	case t.After(maxServedTime):
		return maxServedTime
	}
	return t
}
