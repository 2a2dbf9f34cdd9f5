package fingerprint

import (
	"regexp"
	"strings"
)

// Placeholders for what differs between two occurrences of one failure.
// Order matters: ids and times contain digits and hex, so they go first.
var regexpScrubbers = []struct {
	re   *regexp.Regexp
	with string
	// minLen, when set, keeps matches shorter than it: a bare hex word is
	// taken for an id only when it is long, so "b2b" or "e2e" survive.
	minLen int
	// digit and needs skip a pattern for a line without a digit or
	// without the substring needs: it could not match there.
	digit bool
	needs string
}{
	{regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`), "<uuid>", 0, true, "-"},
	{regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?`), "<time>", 0, true, "-"},
	{regexp.MustCompile(`\b\d{2}:\d{2}:\d{2}(\.\d+)?\b`), "<time>", 0, true, ":"},
	{regexp.MustCompile(`(?i)[a-z]:\\(Users|Windows)\\[^\\\s'"]+\\AppData\\Local\\Temp\\[^\\\s'"]+`), "<tmp>", 0, false, "AppData"},
	{regexp.MustCompile(`(/private)?/var/folders/[^/\s'"]+/[^/\s'"]+/T/[^/\s'"]+`), "<tmp>", 0, false, "/var/folders/"},
	{regexp.MustCompile(`(/private)?/(var/)?tmp/[^/\s'"]+`), "<tmp>", 0, false, "tmp/"},
	{regexp.MustCompile(`(?i)\b0x[0-9a-f]+\b`), "<hex>", 0, true, ""},
	{regexp.MustCompile(`(?i)\b[0-9a-f]*\d[0-9a-f]*[a-f][0-9a-f]*\b|\b[0-9a-f]*[a-f][0-9a-f]*\d[0-9a-f]*\b`), "<hex>", 12, true, ""},
	{regexp.MustCompile(`\b\d+(\.\d+)*`), "<n>", 0, true, ""},
	{regexp.MustCompile(`\s+`), " ", 0, false, ""},
}

// scrubRegexp is scrub as it was written first, with regular expressions:
// the reference scrub_test.go holds the scanners to.
func scrubRegexp(s string) string {
	digits := strings.ContainsAny(s, "0123456789")
	for _, r := range regexpScrubbers {
		// Cheap checks first: most lines have no id, time or temp path.
		if (r.digit && !digits) || (r.needs != "" && !strings.Contains(s, r.needs)) {
			continue
		}
		if r.minLen == 0 {
			s = r.re.ReplaceAllString(s, r.with)
			continue
		}
		s = r.re.ReplaceAllStringFunc(s, func(w string) string {
			if len(w) >= r.minLen {
				return r.with
			}
			return w
		})
	}
	s = strings.TrimSpace(s)
	if rs := []rune(s); len(rs) > maxLineRunes {
		s = string(rs[:maxLineRunes])
	}
	return s
}
