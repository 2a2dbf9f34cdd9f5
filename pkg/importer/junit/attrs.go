package junit

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// parseCount reads an integer count attribute. Some generators write
// "3.0"; those are accepted. Anything else is an error the caller reports
// with the position.
func parseCount(name, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f), nil
	}
	return 0, fmt.Errorf("attribute %s=%q is not an integer", name, s)
}

// parseSeconds reads a `time` attribute. Surefire writes thousands
// separators ("1,234.5") under some locales; they are dropped.
func parseSeconds(s string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("attribute time=%q is not a number", s)
	}
	return f, nil
}

// timestampLayouts are forms seen in the wild beyond ISO-8601: RFC 1123
// (some Ant tasks), Unix date(1) output and ISO with a numeric offset
// without a colon.
var timestampLayouts = []string{
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 -0700 MST",
	time.RFC1123Z,
	time.RFC1123,
	time.UnixDate,
	time.ANSIC,
}

// ParseTimestamp parses a report timestamp leniently, as upstream's
// dateutil does: ISO-8601 in its common forms and a few others; values
// without a zone are UTC. ok is false when nothing matched, and the
// importer then falls back to the import time.
func ParseTimestamp(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := model.ParseTime(s); err == nil {
		return t, true
	}
	for _, l := range timestampLayouts {
		// A year beyond 9999 in UTC is as if absent (model.TimeFits).
		if t, err := time.Parse(l, s); err == nil && model.TimeFits(t) {
			return t.UTC().Truncate(time.Microsecond), true
		}
	}
	return time.Time{}, false
}
