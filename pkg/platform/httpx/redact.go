package httpx

import "strings"

// secretPathPrefixes are the path segments followed by a live secret: the
// web UI's reset-password page and the API's activation link carry the
// e-mailed code, which logs must not hold (anyone reading them could reset
// the password or activate the account while the code is valid). They are
// matched anywhere in the path, so a UI served under a base path is covered.
var secretPathPrefixes = []string{"/reset-password/", "/login/activate/"}

// redactedSegment replaces the secret in a logged path.
const redactedSegment = "REDACTED"

// RedactPath returns path with the code of an activation or reset link
// replaced, for logging; every other path is returned as is.
func RedactPath(path string) string {
	for _, p := range secretPathPrefixes {
		i := strings.Index(path, p)
		if i < 0 {
			continue
		}
		rest := path[i+len(p):]
		if rest == "" {
			continue
		}
		tail := ""
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			tail = rest[j:]
		}
		return path[:i+len(p)] + redactedSegment + tail
	}
	return path
}
