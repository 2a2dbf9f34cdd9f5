// Package ingest is the format-neutral side of importing a test report:
// what a format's parser hands the importer (runs and cases) and how the
// importer recognises a format from a file's first bytes.
//
// A parser (pkg/importer/<format>) reads its file as a stream and calls a
// Sink: Run with what it knows about the whole run (any number of times,
// later values win), Case once per test case as soon as the case is
// complete. It never touches the database, tenancy or limits: the
// importer's sink turns cases into results, artifacts and fingerprints
// with the batched writer, checks every field, and computes the run's
// summary from the cases. To add a format, see docs/architecture.md
// ("Add an import format").
package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"time"
)

// Outcome is a case's result in Ibutsu's vocabulary.
type Outcome string

// The outcomes a case can have (the values of a result's `result`).
const (
	Passed  Outcome = "passed"
	Failed  Outcome = "failed"
	Errored Outcome = "error"
	Skipped Outcome = "skipped"
	XFailed Outcome = "xfailed"
	XPassed Outcome = "xpassed"
	Manual  Outcome = "manual"
	Blocked Outcome = "blocked"
)

// Valid reports whether o is one of the outcomes above.
func (o Outcome) Valid() bool {
	switch o {
	case Passed, Failed, Errored, Skipped, XFailed, XPassed, Manual, Blocked:
		return true
	}
	return false
}

// Attachment is a file a case carries; it becomes an artifact of the
// case's result. Body is read once, while the case is handled, and only up
// to the artifact cap (the rest is read and dropped, and the import's
// metadata lists the file as truncated); Text is used when Body is nil.
type Attachment struct {
	Name        string
	ContentType string // "" means text/plain
	Body        io.Reader
	Text        string
}

// Case is one test case.
type Case struct {
	// TestID is the result's test_id (required).
	TestID  string
	Outcome Outcome
	// Duration is in seconds.
	Duration float64
	// Start is when the case started; nil means the run's start.
	Start *time.Time
	// Component is the result's component when the upload names none
	// (go test: the package).
	Component string
	// Suite is the path of suites/classes the case sits in, outermost
	// first; it is stored as metadata.suite joined by " › " when set.
	Suite []string
	// File and Line are where the case is defined (metadata fspath, line).
	File string
	Line *int
	// Metadata holds the format's properties, labels and tags; the keys
	// the importer sets itself (run, short_tb, ...) win over them only
	// when the format left them unset.
	Metadata map[string]any
	// Message is the failure's short reason (metadata.short_tb), Exception
	// the exception or assertion type (metadata.exception_name), Trace the
	// whole failure text (the traceback.log artifact).
	Message, Exception, Trace string
	// SkipReason is stored as metadata.skip_reason for skipped cases.
	SkipReason string
	// Output is captured output (stdout/stderr or a log), stored as
	// the artifact OutputName (default "output.log").
	Output     string
	OutputName string
	// Truncated is set by a parser that cut Output or Trace at its
	// Options.MaxText bound; the import's metadata then lists the case.
	Truncated   bool
	Attachments []Attachment
}

// Run is what a file tells about the whole run. Zero fields mean "not
// known"; the importer keeps earlier values for them.
type Run struct {
	Start *time.Time
	// Duration in seconds; nil means the sum of the cases' durations.
	Duration *float64
	// Metadata is merged into the run's metadata (the upload form's
	// metadata wins).
	Metadata map[string]any
	// Component and Env are the run's, unless the upload names them.
	Component, Env string
}

// Sink receives a report while it is parsed. An error from it stops the
// parse and must be returned unchanged by the parser.
type Sink interface {
	Run(r Run) error
	Case(c *Case) error
}

// Options bound what one file may cost while it is read.
type Options struct {
	// MaxText caps the captured output or failure text kept for one case;
	// a parser cuts longer text and sets Case.Truncated. 0 means 1 MiB.
	MaxText int
	// MaxLine caps one line or one JSON value a line-based or JSON
	// parser holds; longer is an Error. 0 means 16 MiB.
	MaxLine int
}

// TextCap is MaxText with its default.
func (o Options) TextCap() int {
	if o.MaxText > 0 {
		return o.MaxText
	}
	return 1 << 20
}

// LineCap is MaxLine with its default.
func (o Options) LineCap() int {
	if o.MaxLine > 0 {
		return o.MaxLine
	}
	return 16 << 20
}

// Error is a recognised file that cannot be read: its text, shown to the
// uploader on the failed import, names the format and where it went wrong.
type Error struct {
	Format string
	// Line is 1-based; 0 when the format has no lines to speak of.
	Line int
	// Offset is the byte offset, -1 when unknown.
	Offset int64
	Msg    string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Offset >= 0:
		return fmt.Sprintf("invalid %s at line %d (byte offset %d): %s", e.Format, e.Line, e.Offset, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("invalid %s at line %d: %s", e.Format, e.Line, e.Msg)
	case e.Offset >= 0:
		return fmt.Sprintf("invalid %s at byte offset %d: %s", e.Format, e.Offset, e.Msg)
	}
	return fmt.Sprintf("invalid %s: %s", e.Format, e.Msg)
}

// Errorf builds an Error.
func Errorf(format string, line int, offset int64, msg string, args ...any) *Error {
	return &Error{Format: format, Line: line, Offset: offset, Msg: fmt.Sprintf(msg, args...)}
}

// Cut shortens s to at most n bytes at a character boundary, with a
// marker; ok is false when s was shorter.
func Cut(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + CutMarker, true
}

// CutMarker ends a text a parser cut at Options.MaxText.
const CutMarker = "\n[ibutsu: truncated; the text was longer than the import limit]\n"

// ErrLineTooLong is ReadLine's answer to a line over its limit.
var ErrLineTooLong = errors.New("line too long")

// ReadLine reads one line, its end included, of at most limit bytes from
// br; a longer one is ErrLineTooLong (nothing of it is held beyond the
// limit). At the end of input it returns the last bytes with io.EOF.
func ReadLine(br *bufio.Reader, limit int) ([]byte, error) {
	var buf []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(buf)+len(frag) > limit {
			return nil, ErrLineTooLong
		}
		buf = append(buf, frag...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return buf, err
	}
}
