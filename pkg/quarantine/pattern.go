package quarantine

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// The pattern language (docs/triage.md#quarantine): a pattern is a test_id,
// matched exactly, or a glob in which `*` stands for any run of characters
// (none too). No other character is special. Bounds keep matching cheap in
// Go and in SQL (LIKE/GLOB never backtrack far with few wildcards).
const (
	MaxPatternLen = 255  // characters, as upstream's test_id column
	MaxWildcards  = 5    // `*` per pattern
	MaxReasonLen  = 1000 // characters
	MaxOwnerLen   = 255  // characters
)

// Pattern is a checked pattern.
type Pattern struct {
	Text string
	Glob bool
}

// ParsePattern checks s: 1..MaxPatternLen characters, valid UTF-8, no
// control characters (quarantine.txt is one entry a line), at most
// MaxWildcards `*` and at least one other character.
func ParsePattern(s string) (Pattern, error) {
	if !utf8.ValidString(s) {
		return Pattern{}, fieldError("pattern", "must be valid UTF-8")
	}
	if strings.TrimSpace(s) == "" {
		return Pattern{}, fieldError("pattern", "must not be empty")
	}
	if s != strings.TrimSpace(s) {
		return Pattern{}, fieldError("pattern", "must not begin or end with white space")
	}
	if utf8.RuneCountInString(s) > MaxPatternLen {
		return Pattern{}, fieldError("pattern", "must be at most %d characters", MaxPatternLen)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return Pattern{}, fieldError("pattern", "must not contain control characters or line breaks")
	}
	n := strings.Count(s, "*")
	if n > MaxWildcards {
		return Pattern{}, fieldError("pattern", "must contain at most %d '*'", MaxWildcards)
	}
	if n == len(s) {
		return Pattern{}, fieldError("pattern", "must contain something besides '*' (it would quarantine every test)")
	}
	return Pattern{Text: s, Glob: n > 0}, nil
}

// Matches tells whether testID matches p. The glob match is the greedy
// two-pointer algorithm: O(len(p)·len(testID)) at worst, never exponential.
func (p Pattern) Matches(testID string) bool {
	if !p.Glob {
		return p.Text == testID
	}
	return globMatch(p.Text, testID)
}

func globMatch(pat, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(pat) && pat[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(pat) && pat[pi] == s[si]:
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pat) && pat[pi] == '*' {
		pi++
	}
	return pi == len(pat)
}

// LikePattern is p as a PostgreSQL LIKE pattern with `\` as escape: `%`,
// `_` and `\` are literal, `*` becomes `%`.
func (p Pattern) LikePattern() string {
	var b strings.Builder
	for _, r := range p.Text {
		switch r {
		case '%', '_', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '*':
			b.WriteByte('%')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// GlobPattern is p as a SQLite GLOB pattern (case-sensitive, unlike
// SQLite's LIKE): `?` and `[` are made literal with brackets, `*` stays.
func (p Pattern) GlobPattern() string {
	var b strings.Builder
	for _, r := range p.Text {
		switch r {
		case '?', '[':
			b.WriteByte('[')
			b.WriteRune(r)
			b.WriteByte(']')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fieldError is a 400 whose JSON body names the field:
// {"field": "pattern", "detail": "pattern: must not be empty", "status": 400, "title": "Bad Request"}.
func fieldError(field, format string, args ...any) error {
	msg := field + ": " + fmt.Sprintf(format, args...)
	return &apperr.Error{Kind: apperr.KindInvalid, Message: msg,
		Body: map[string]any{"field": field, "detail": msg, "status": 400, "title": "Bad Request"}}
}
