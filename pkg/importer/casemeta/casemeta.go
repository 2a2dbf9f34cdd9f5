// Package casemeta holds the small field-filling steps that the format
// parsers (NUnit, xUnit.net, TRX, Cucumber, Playwright, Allure) apply to a
// tcase.Case in the same way: a failure's message and stack, metadata
// values whose names repeat, a file's base name from a Windows or POSIX
// path. Each parser used to carry its own copy; one copy here keeps the
// formats mapping a failure, or a repeated trait, identically.
package casemeta

import (
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
)

// NonEmpty returns the parts that are not "", in order (nil when none).
func NonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Join joins the parts that are not "" with sep.
func Join(sep string, parts ...string) string {
	return strings.Join(NonEmpty(parts...), sep)
}

// BaseName is the last element of a path written with / or \ (test
// reports from Windows runners name assemblies and files with either).
func BaseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Add files value under name in m; a name seen again turns its value into
// a list of all its values, in the order read (NUnit properties, xUnit.net
// traits and Allure labels may all repeat a name).
func Add(m map[string]any, name, value string) {
	switch old := m[name].(type) {
	case nil:
		m[name] = value
	case string:
		m[name] = []any{old, value}
	case []any:
		m[name] = append(old, value)
	}
}

// SetFailure records a failure whose message and stack trace the report
// holds apart: Message is msg, Traceback both joined by a newline, and
// ExceptionType (unless the report named it already) the type msg starts
// with. Nothing is set when both are empty.
func SetFailure(c *tcase.Case, msg, stack string) {
	if msg == "" && stack == "" {
		return
	}
	c.Message = msg
	if c.ExceptionType == "" {
		c.ExceptionType, _ = tcase.SplitException(msg)
	}
	c.Traceback = Join("\n", msg, stack)
}
