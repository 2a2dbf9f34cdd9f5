// Package fingerprint gives every failed or errored result a fingerprint:
// the exception type, the first lines of its message and the innermost
// frames of its traceback, with everything that changes from one run of the
// same failure to the next (numbers, addresses, ids, times, temp paths, line
// numbers) replaced by placeholders. Results with the same fingerprint are
// one failure cluster ("the same bug"). The rules are plain text rules a
// person can check against the stored normalised text; docs/triage.md
// describes them with examples.
package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Limits of what goes into a fingerprint: enough to tell failures apart,
// little enough that incidental detail deeper in a trace does not split a
// cluster.
const (
	maxMessageLines = 3
	maxFrames       = 3
	maxLineRunes    = 200
	// maxTextBytes bounds the work on one trace: a whole captured log
	// pasted into short_tb costs no more than its first 64 KiB.
	maxTextBytes = 64 << 10
)

// Input is what a fingerprint is computed from: the result's status and
// its metadata.exception_name and metadata.short_tb.
type Input struct {
	Status    string
	Exception string
	Text      string
}

// Fingerprint is a result's failure identity.
type Fingerprint struct {
	// Hash is the hex SHA-256 (first 16 bytes) of Text.
	Hash string
	// Exception is the exception type without its module or package
	// ("AssertionError", "NullPointerException", "panic"); empty when none
	// is known.
	Exception string
	// Text is the normalised text the hash is taken of: the exception type,
	// then message lines, then "at <frame>" lines.
	Text string
}

// Applies reports whether a result of this status gets a fingerprint.
func Applies(status string) bool { return status == "failed" || status == "error" }

// Compute fingerprints a failed or errored result; ok is false for other
// statuses.
func Compute(in Input) (fp Fingerprint, ok bool) {
	if !Applies(in.Status) {
		return Fingerprint{}, false
	}
	lines := relevantLines(in.Text)
	exc := shortType(strings.TrimSpace(in.Exception))
	if exc == "" {
		exc = detectException(lines)
	}
	msgs := messages(lines, exc)
	frames := frames(lines)
	var b strings.Builder
	if exc == "" {
		b.WriteString("-")
	} else {
		b.WriteString(exc)
	}
	for _, m := range msgs {
		b.WriteString("\n")
		b.WriteString(m)
	}
	for _, f := range frames {
		b.WriteString("\nat ")
		b.WriteString(f)
	}
	if len(msgs) == 0 && len(frames) == 0 {
		b.WriteString("\n(no traceback)")
	}
	text := b.String()
	sum := sha256.Sum256([]byte(text))
	return Fingerprint{Hash: hex.EncodeToString(sum[:16]), Exception: exc, Text: text}, true
}

// relevantLines are the trace's lines up to the first captured-output
// section (log lines, stdout: noise that varies), without blank lines,
// runner banners and pytest's frame separators.
func relevantLines(text string) []string {
	if len(text) > maxTextBytes {
		text = text[:maxTextBytes]
	}
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(l)
		if isCaptured(t) {
			break
		}
		if isNoise(t) {
			continue
		}
		out = append(out, strings.TrimRight(l, " \t"))
	}
	return out
}

// capturedPrefixes start the captured-output sections of pytest and
// friends; everything from there on is output, not the failure.
var capturedPrefixes = []string{"Captured stdout", "Captured stderr", "Captured log", "Captured output", "Captured log output:"}

// noisePrefixes start lines that every trace of a kind has, or that carry
// only volatile detail (goroutine numbers, timings).
var noisePrefixes = []string{"Traceback (most recent call last):", "goroutine ", "--- FAIL: ", "FAIL\t", "FAIL ", "exit status ",
	"During handling of the above exception", "The above exception was the direct cause", "created by ", "FAILURES!!!", "Tests run: "}

// isCaptured reports a line that opens a captured-output section
// ("Captured stdout call", "----- Captured log setup -----").
func isCaptured(t string) bool {
	t = strings.TrimLeft(t, "- ")
	for _, p := range capturedPrefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// isNoise reports a line that says nothing about this failure.
func isNoise(t string) bool {
	if t == "FAIL" || strings.Trim(t, "_ ") == "" || (strings.HasPrefix(t, "... ") && strings.HasSuffix(t, " more")) {
		return true
	}
	for _, p := range noisePrefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// Frame shapes, each reduced to a file or function name that does not
// depend on where the code was checked out.
var (
	pyFrame       = guard(`^\s*File "([^"]+)", line \d+, in (\S+)`, `File "`, `", line `, `, in `)
	pytestFrame   = guard(`^(\S+\.py):\d+: in (\S+)$`, ".py:", ": in ")
	pytestLoc     = guard(`^(\S+\.py):\d+: ([A-Za-z_][\w.]*)$`, ".py:")
	pytestCall    = guard(`^(\S+\.py):\d+:$`, ".py:")
	javaFrame     = guard(`^\s*at ([\w$.<>/]+)\(([^)]*)\)`, "at ", "(", ")")
	goFunc        = guard(`^([\w./-]+(\.[\w.()*]+)?)\(.*\)$`, "(", ")")
	goFileLine    = guard(`^\s*\S+\.go:\d+( \+0x[0-9a-f]+)?$`, ".go:")
	goTestMessage = guard(`^\s*(\w+\.go):\d+: (.*)$`, ".go:", ": ")
)

// guardedRE is a regular expression with the literal parts every match
// of it contains: a line without them is refused without running the
// expression. Most lines of a trace are none of the shapes, and the
// expressions were most of the cost of a fingerprint.
type guardedRE struct {
	re *regexp.Regexp
	// all are in every match; every match has one of anyOf (when set).
	all, anyOf []string
}

func guard(expr string, all ...string) guardedRE {
	return guardedRE{re: regexp.MustCompile(expr), all: all}
}

// possible reports whether s has the literals a match needs.
func (g guardedRE) possible(s string) bool {
	for _, l := range g.all {
		if !strings.Contains(s, l) {
			return false
		}
	}
	if len(g.anyOf) == 0 {
		return true
	}
	for _, l := range g.anyOf {
		if strings.Contains(s, l) {
			return true
		}
	}
	return false
}

func (g guardedRE) MatchString(s string) bool { return g.possible(s) && g.re.MatchString(s) }

func (g guardedRE) FindStringSubmatch(s string) []string {
	if !g.possible(s) {
		return nil
	}
	return g.re.FindStringSubmatch(s)
}

// frameworkFrame matches frames of test runners and language runtimes: they
// are the same in every failure, so they say nothing about this one.
var frameworkFrame = regexp.MustCompile(`^(org\.junit\.|junit\.framework\.|org\.testng\.|org\.opentest4j\.|org\.assertj\.|jdk\.internal\.|sun\.reflect\.|java\.lang\.reflect\.|org\.apache\.maven\.surefire\.|testing\.|runtime\.|panic$)|^(_pytest|pluggy|unittest)/|^(python_api|runner|main|case)\.py in |^panic\(`)

// robotRunner matches the source path of Robot Framework's keyword runner
// (robot/running/…): it calls every library keyword, and its functions and
// line numbers change between Robot versions, so its frames would split
// one library failure into one cluster per Robot version.
var robotRunner = regexp.MustCompile(`(^|[/\\])robot[/\\]running[/\\]`)

// frames returns up to maxFrames innermost frames that are not the test
// framework's. Python prints the innermost frame last, Java and Go first.
func frames(lines []string) []string {
	var found []string
	innermostLast := false
	for i, l := range lines {
		// Each shape's expression runs once per line (a match's groups
		// come from the same run that found it), in the order of the
		// shapes; the first that matches decides.
		var f string
		if m := pyFrame.FindStringSubmatch(l); m != nil {
			if robotRunner.MatchString(m[1]) {
				innermostLast = true
				continue
			}
			f, innermostLast = pyFile(m[1])+" in "+m[2], true
		} else if m := pytestFrame.FindStringSubmatch(l); m != nil {
			f, innermostLast = pyFile(m[1])+" in "+m[2], true
		} else if m := pytestLoc.FindStringSubmatch(l); m != nil {
			f, innermostLast = pyFile(m[1]), true
		} else if m := pytestCall.FindStringSubmatch(l); m != nil {
			f, innermostLast = pyFile(m[1]), true
		} else if m := javaFrame.FindStringSubmatch(l); m != nil {
			f = m[1]
		} else if m := goFunc.FindStringSubmatch(strings.TrimSpace(l)); m != nil && i+1 < len(lines) && goFileLine.MatchString(lines[i+1]) {
			f = m[1]
		} else if m := goTestMessage.FindStringSubmatch(l); m != nil {
			f = m[1]
		}
		if f == "" || frameworkFrame.MatchString(f) {
			continue
		}
		f = scrub(f)
		if len(found) > 0 && found[len(found)-1] == f {
			continue
		}
		found = append(found, f)
	}
	if innermostLast {
		if len(found) > maxFrames {
			found = found[len(found)-maxFrames:]
		}
		return found
	}
	if len(found) > maxFrames {
		found = found[:maxFrames]
	}
	return found
}

// pyFile is the base name of a Python source path: checkouts and virtual
// environments live in different places on different machines.
func pyFile(p string) string { return path.Base(strings.ReplaceAll(p, `\`, "/")) }

// Exception shapes: pytest's "path.py:12: ValueError" location line, its
// "E   ValueError: ..." lines, a Java or Python "pkg.Type: message" line,
// and a Go panic.
var (
	pytestE = guardedRE{re: regexp.MustCompile(`^E\s+([A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Failure|Warning|Failed|Timeout)):?`),
		all: []string{"E"}, anyOf: []string{"Error", "Exception", "Exit", "Interrupt", "Failure", "Warning", "Failed", "Timeout"}}
	typeLine = guardedRE{re: regexp.MustCompile(`^([A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*)*(Error|Exception|Exit|Interrupt|Failure|Throwable|Failed|Timeout))(:\s|:?$)`),
		anyOf: []string{"Error", "Exception", "Exit", "Interrupt", "Failure", "Throwable", "Failed", "Timeout"}}
	goPanic     = guard(`^panic: `, "panic: ")
	goRecovered = regexp.MustCompile(`\s*\[recovered[^\]]*\]$`)
	javaHeader  = guard(`^\d+\) \S+\(\S+\)$`, ") ", "(", ")")
)

// detectException finds the exception type in the trace when the result
// did not name it.
func detectException(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if m := pytestLoc.FindStringSubmatch(lines[i]); m != nil {
			return shortType(m[2])
		}
	}
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if m := pytestE.FindStringSubmatch(t); m != nil {
			return shortType(m[1])
		}
		if m := typeLine.FindStringSubmatch(t); m != nil {
			return shortType(m[1])
		}
		if goPanic.MatchString(t) {
			return "panic"
		}
	}
	return ""
}

// shortType drops a type's module or package: pytest-ibutsu reports
// "JSONDecodeError" where a JUnit file says "json.decoder.JSONDecodeError",
// and both are the same failure.
func shortType(t string) string {
	if i := strings.LastIndexAny(t, ".$"); i >= 0 && i < len(t)-1 {
		return t[i+1:]
	}
	return t
}

// messages returns up to maxMessageLines normalised lines of the failure's
// message: pytest's "E" lines when there are any, otherwise the lines that
// are neither frames nor source echoes, with the exception type in front
// of them dropped (it is the first line of the fingerprint already).
func messages(lines []string, exc string) []string {
	var eLines, other []string
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "E ") || t == "E":
			eLines = append(eLines, strings.TrimSpace(strings.TrimPrefix(t, "E")))
			continue
		case pyFrame.MatchString(l), pytestFrame.MatchString(l), pytestLoc.MatchString(l), pytestCall.MatchString(l), javaFrame.MatchString(l), javaHeader.MatchString(t):
			continue
		case goFunc.MatchString(t) && i+1 < len(lines) && goFileLine.MatchString(lines[i+1]), goFileLine.MatchString(l):
			continue
		case goTestMessage.MatchString(l):
			other = append(other, goTestMessage.FindStringSubmatch(l)[2])
			continue
		case strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") || strings.HasPrefix(t, ">"):
			continue // source lines echoed under a frame
		}
		other = append(other, t)
	}
	src := other
	if len(eLines) > 0 {
		src = eLines
	}
	var out []string
	for _, m := range src {
		m = dropType(m, exc)
		if m == "" {
			continue
		}
		m = scrub(m)
		if slices.Contains(out, m) {
			// Robot 5 and later end the traceback with the message the
			// report already starts with; a line said twice is one line.
			continue
		}
		out = append(out, m)
		if len(out) == maxMessageLines {
			break
		}
	}
	return out
}

// dropType removes a leading "pkg.Type: " or "panic: " from a message line.
func dropType(m, exc string) string {
	if exc == "" {
		return strings.TrimSpace(m)
	}
	if mm := typeLine.FindStringSubmatch(m); mm != nil && shortType(mm[1]) == exc {
		return strings.TrimSpace(m[len(mm[0]):])
	}
	if exc == "panic" {
		// Go 1.23+ appends "[recovered, repanicked]" where older ones said
		// "[recovered]": the same panic either way.
		m = goRecovered.ReplaceAllString(m, "")
		return strings.TrimSpace(strings.TrimPrefix(m, "panic: "))
	}
	return strings.TrimSpace(m)
}
