package filter

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// Values are typed by the column they are compared with, not guessed from
// their text as upstream does (docs/api-compatibility.md#filter-value-typing).
// Upstream's guess (digits → int, float-like → float, unless "version-like"
// or a build_number field) only exists to pick between a number and a
// string; since text columns and JSON text paths here always compare as
// text (upstream's guess is a bug no client depends on), the guess would
// never change a result and is not reproduced. What
// remains is the Python number syntax numeric targets accept, below.

// floatRE is Python's float literal as upstream's FLOAT_RE describes it,
// anchored at both ends (upstream matches the prefix and then lets float()
// reject the rest; the effect is the same for these characters).
var floatRE = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`)

// parseNumber converts a value for a numeric target: all ASCII digits → int64
// (float64 when too large), a float literal → float64. ok is false for
// anything else, including infinities, which the filter treats as "no match".
func parseNumber(s string) (any, bool) {
	if s != "" && strings.Trim(s, "0123456789") == "" {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, true
		}
	}
	if !floatRE.MatchString(s) {
		return nil, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, false
	}
	return f, true
}

// parseBool accepts the literals PostgreSQL's boolean input accepts
// (case-insensitive): true/t/yes/y/on/1 and false/f/no/n/off/0.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "yes", "y", "on", "1":
		return true, true
	case "false", "f", "no", "n", "off", "0":
		return false, true
	}
	return false, false
}

// parseUUID accepts what uuid.Parse accepts (any case, braces, urn: prefix,
// no hyphens) and returns the canonical lowercase form both dialects store.
func parseUUID(s string) (string, bool) {
	id, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", false
	}
	return id.String(), true
}

// parseTime accepts the ISO-8601 forms the API accepts on input (dates,
// datetimes with `T` or a space, optional fraction, optional offset or Z,
// as in Python's str(datetime) that widgets send) and returns UTC. Year 0,
// which Go parses but PostgreSQL rejects, is not a time.
func parseTime(s string) (time.Time, bool) {
	t, err := model.ParseTime(s)
	if err != nil || t.Year() < 1 {
		return time.Time{}, false
	}
	return t, true
}

// existsWanted decodes the `@` operator's value: present when its first
// character is y, t or 1 (any case). An empty value is reported as !ok.
func existsWanted(s string) (want, ok bool) {
	if s == "" {
		return false, false
	}
	switch s[0] {
	case 'y', 'Y', 't', 'T', '1':
		return true, true
	}
	return false, true
}

// likePattern builds the `%` operator's pattern: the value as a literal
// substring, with the LIKE metacharacters and the escape character escaped.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
