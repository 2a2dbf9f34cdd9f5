package httpx

import (
	"io"
	"log/slog"
	"strings"
)

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// containsDirective reports whether the policy holds directive d (or, for a
// bare source such as 'unsafe-eval', any directive mentioning it).
func containsDirective(policy, d string) bool {
	for _, part := range strings.Split(policy, ";") {
		part = strings.TrimSpace(part)
		if part == d || (!strings.Contains(d, " ") && strings.Contains(part, d)) {
			return true
		}
	}
	return false
}
