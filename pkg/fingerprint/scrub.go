package fingerprint

import (
	"regexp"
	"strings"
)

// scrub replaces volatile parts of s by placeholders and caps its length.
// The rules, in this order (ids and times contain digits and hex, so they
// go first; each rule reads what the one before it wrote):
//
//	<uuid>  a UUID, as a whole word (any case)
//	<time>  a date and time, 2026-12-05T17:12:07.5Z or 2026-01-02 03:04[:05][+01:00]
//	<time>  a time of day as a whole word, 17:12:07 or 17:12:07.496
//	<tmp>   a Windows, macOS or Unix (/tmp/…, /var/tmp/…) temporary directory
//	<hex>   0x… as a whole word
//	<hex>   a word of 12 or more hex digits with both a digit and a letter
//	<n>     a number starting a word: 12, 3.14, 1.2.3
//	" "     a run of spaces, tabs and line breaks
//
// "Word" is the regexp sense: letters, digits and underscore. Each rule is
// a hand-written scanner that matches what the regular expression in its
// comment matches (scrub_test.go compares them on the real
// traces of testdata and on generated text): scrubbing ran for every line
// of every failure POST /api/result stores, and the regular expressions
// were most of fingerprinting's CPU.
func scrub(s string) string {
	digits := strings.ContainsAny(s, "0123456789")
	if digits && strings.IndexByte(s, '-') >= 0 {
		s = replaceMatches(s, "<uuid>", matchUUID)
		s = replaceMatches(s, "<time>", matchDateTime)
	}
	if digits && strings.IndexByte(s, ':') >= 0 {
		s = replaceMatches(s, "<time>", matchTimeOfDay)
	}
	if strings.Contains(s, "AppData") {
		s = windowsTemp.ReplaceAllString(s, "<tmp>")
	}
	if strings.Contains(s, "/var/folders/") {
		s = macTemp.ReplaceAllString(s, "<tmp>")
	}
	if strings.Contains(s, "tmp/") {
		s = replaceMatches(s, "<tmp>", matchUnixTemp)
	}
	if digits {
		s = replaceMatches(s, "<hex>", matchHexLiteral)
		s = replaceMatches(s, "<hex>", matchHexWord)
		s = replaceMatches(s, "<n>", matchNumber)
	}
	s = strings.TrimSpace(collapseSpace(s))
	if len(s) > maxLineRunes { // only then can it have more runes
		if rs := []rune(s); len(rs) > maxLineRunes {
			s = string(rs[:maxLineRunes])
		}
	}
	return s
}

// The temporary directories of Windows and macOS are rare in traces and
// their shapes long: they stay regular expressions, run only on a line
// that has their fixed part.
var (
	windowsTemp = regexp.MustCompile(`(?i)[a-z]:\\(Users|Windows)\\[^\\\s'"]+\\AppData\\Local\\Temp\\[^\\\s'"]+`)
	macTemp     = regexp.MustCompile(`(/private)?/var/folders/[^/\s'"]+/[^/\s'"]+/T/[^/\s'"]+`)
)

// matcher reports the end of a match that starts at s[i], or -1 for
// none; -2-end is a match to end that stays as it is (too short to be
// replaced). It is called at each i from left to right, as a regular
// expression search tries its start positions; after a match the search
// goes on at its end.
type matcher func(s string, i int) int

// replaceMatches is regexp.ReplaceAllString for a matcher: every
// non-overlapping match, leftmost first, replaced by with. It allocates
// only when something matched.
func replaceMatches(s, with string, m matcher) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		end := m(s, i)
		switch {
		case end == -1:
			i++
			continue
		case end < -1:
			i = -2 - end
			continue
		}
		if b.Len() == 0 && last == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		b.WriteString(with)
		last, i = end, end
	}
	if last == 0 && b.Len() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F') }

// isWord is the regexp package's \w: an ASCII letter, digit or underscore.
func isWord(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c == '_'
}

// wordStart is \b before s[i] when s[i] is a word character: s[i-1] is not.
func wordStart(s string, i int) bool { return i == 0 || !isWord(s[i-1]) }

// wordEnd is \b after a word character at s[i-1]: s[i] is not one.
func wordEnd(s string, i int) bool { return i >= len(s) || !isWord(s[i]) }

// span is the end of the run of bytes from s[i] on that ok accepts.
func span(s string, i int, ok func(byte) bool) int {
	for i < len(s) && ok(s[i]) {
		i++
	}
	return i
}

// digitsAt reports n digits at s[i:].
func digitsAt(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for k := i; k < i+n; k++ {
		if !isDigit(s[k]) {
			return false
		}
	}
	return true
}

// matchUUID is (?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b.
func matchUUID(s string, i int) int {
	const n = 36
	if i+n > len(s) || !isHex(s[i]) || !wordStart(s, i) {
		return -1
	}
	for k := 0; k < n; k++ {
		c := s[i+k]
		switch k {
		case 8, 13, 18, 23:
			if c != '-' {
				return -1
			}
		default:
			if !isHex(c) {
				return -1
			}
		}
	}
	if !wordEnd(s, i+n) {
		return -1
	}
	return i + n
}

// matchDateTime is \b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?
// (every optional part taken when it is there: nothing after it can fail).
func matchDateTime(s string, i int) int {
	if !isDigit(s[i]) || !wordStart(s, i) || i+16 > len(s) {
		return -1
	}
	if !digitsAt(s, i, 4) || s[i+4] != '-' || !digitsAt(s, i+5, 2) || s[i+7] != '-' || !digitsAt(s, i+8, 2) ||
		(s[i+10] != 'T' && s[i+10] != ' ') || !digitsAt(s, i+11, 2) || s[i+13] != ':' || !digitsAt(s, i+14, 2) {
		return -1
	}
	j := i + 16
	if j < len(s) && s[j] == ':' && digitsAt(s, j+1, 2) {
		j += 3
		if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
			j = span(s, j+1, isDigit)
		}
	}
	if j < len(s) {
		switch s[j] {
		case 'Z':
			j++
		case '+', '-':
			if digitsAt(s, j+1, 2) {
				switch {
				case j+3 < len(s) && s[j+3] == ':' && digitsAt(s, j+4, 2):
					j += 6
				case digitsAt(s, j+3, 2):
					j += 5
				}
			}
		}
	}
	return j
}

// matchTimeOfDay is \b\d{2}:\d{2}:\d{2}(\.\d+)?\b: with the fraction when
// a word ends after it, otherwise without it when a word ends there.
func matchTimeOfDay(s string, i int) int {
	if !isDigit(s[i]) || !wordStart(s, i) || i+8 > len(s) {
		return -1
	}
	if !digitsAt(s, i, 2) || s[i+2] != ':' || !digitsAt(s, i+3, 2) || s[i+5] != ':' || !digitsAt(s, i+6, 2) {
		return -1
	}
	j := i + 8
	if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
		if k := span(s, j+1, isDigit); wordEnd(s, k) {
			return k
		}
	}
	if wordEnd(s, j) {
		return j
	}
	return -1
}

// matchUnixTemp is (/private)?/(var/)?tmp/[^/\s'"]+.
func matchUnixTemp(s string, i int) int {
	if s[i] != '/' {
		return -1
	}
	if strings.HasPrefix(s[i:], "/private/") {
		if j := unixTempTail(s, i+len("/private")); j >= 0 {
			return j
		}
	}
	return unixTempTail(s, i)
}

// unixTempTail is /(var/)?tmp/[^/\s'"]+ at s[i:].
func unixTempTail(s string, i int) int {
	if s[i] != '/' {
		return -1
	}
	rest := s[i+1:]
	var j int
	switch {
	case strings.HasPrefix(rest, "var/tmp/"):
		j = i + 1 + len("var/tmp/")
	case strings.HasPrefix(rest, "tmp/"):
		j = i + 1 + len("tmp/")
	default:
		return -1
	}
	end := span(s, j, func(c byte) bool {
		return c != '/' && c != '\'' && c != '"' && !isSpace(c)
	})
	if end == j {
		return -1
	}
	return end
}

// matchHexLiteral is (?i)\b0x[0-9a-f]+\b.
func matchHexLiteral(s string, i int) int {
	if s[i] != '0' || i+2 >= len(s) || (s[i+1] != 'x' && s[i+1] != 'X') || !isHex(s[i+2]) || !wordStart(s, i) {
		return -1
	}
	if end := span(s, i+2, isHex); wordEnd(s, end) {
		return end
	}
	return -1
}

// matchHexWord is a whole word of hex digits with at least one digit and
// one letter — (?i)\b[0-9a-f]*\d[0-9a-f]*[a-f][0-9a-f]*\b|\b[0-9a-f]*[a-f][0-9a-f]*\d[0-9a-f]*\b —
// replaced only when it is at least 12 long: a shorter one is matched and
// kept as it is ("b2b", "e2e").
func matchHexWord(s string, i int) int {
	if !isHex(s[i]) || !wordStart(s, i) {
		return -1
	}
	end := span(s, i+1, isHex)
	if !wordEnd(s, end) {
		return -1
	}
	digit, letter := false, false
	for k := i; k < end; k++ {
		if isDigit(s[k]) {
			digit = true
		} else {
			letter = true
		}
	}
	switch {
	case !digit || !letter:
		return -1
	case end-i < 12:
		return -2 - end // a match that stays: see matcher
	}
	return end
}

// matchNumber is \b\d+(\.\d+)*.
func matchNumber(s string, i int) int {
	if !isDigit(s[i]) || !wordStart(s, i) {
		return -1
	}
	end := span(s, i+1, isDigit)
	for end+1 < len(s) && s[end] == '.' && isDigit(s[end+1]) {
		end = span(s, end+1, isDigit)
	}
	return end
}

// isSpace is the regexp package's \s: [\t\n\f\r ].
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// collapseSpace is \s+ replaced by one space.
func collapseSpace(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) && (s[i] != ' ' || (i+1 < len(s) && isSpace(s[i+1]))) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if isSpace(s[i]) {
			b.WriteByte(' ')
			i = span(s, i, isSpace)
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
