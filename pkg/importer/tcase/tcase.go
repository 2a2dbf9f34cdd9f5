// Package tcase is the small, format-neutral shape the NUnit, xUnit.net,
// TRX, Cucumber, Playwright and Allure parsers hand their test cases out
// in; the importer turns it into results and artifacts.
package tcase

import (
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
)

// Status is a case's outcome: ingest's vocabulary, so a case reaches the
// importer's sink without a translation.
type Status = ingest.Outcome

// The outcomes a parser of this shape hands out (ingest's Manual and
// Blocked come from no such format).
const (
	Passed  = ingest.Passed
	Failed  = ingest.Failed
	Errored = ingest.Errored
	Skipped = ingest.Skipped
	XFailed = ingest.XFailed
	XPassed = ingest.XPassed
)

// Attachment is a file a case carries: Data when the report holds the
// bytes, Path when it only names a file next to it (Source for a member of
// an archive, read later).
type Attachment struct {
	Name, ContentType string
	Data              []byte
	Path              string
	Source            string
	// Truncated marks Data cut at the text bound (the bytes are not whole).
	Truncated bool
}

// Case is one test case (one test in one project/configuration).
type Case struct {
	// TestID is the stable identity of the test (class path + name).
	TestID    string
	Name      string
	Classname string
	// Suite is the enclosing suites, outermost first.
	Suite []string
	File  string
	Line  int
	// Component is a default for the result's component (a package, an
	// assembly); empty when the format has none.
	Component string
	Status    Status
	// Start is zero when unknown.
	Start time.Time
	// Duration is in seconds.
	Duration float64
	// Message and ExceptionType describe the failure; Traceback is its
	// full text (message and stack), empty when there is none.
	Message, ExceptionType, Traceback string
	SkipReason                        string
	Stdout, Stderr                    string
	Tags                              []string
	// Properties are the format's labels, traits, categories and the like,
	// for the result's metadata.
	Properties  map[string]any
	Attachments []Attachment
}

// Error is a report that cannot be read, with where it went wrong: ingest's
// error, whose text is meant for the user who uploaded the file. These
// parsers always know the byte offset (a decoder's InputOffset); Line is 0
// when the format's reader does not know it.
type Error = ingest.Error

// Handler receives cases as they are read.
type Handler func(c *Case) error

// Opener opens the report from its start; formats whose order of parts
// needs two passes (TRX, Cucumber, Allure) call it twice.
type Opener func() (ReadCloser, error)

// ReadCloser is io.ReadCloser, named here so a parser's signature needs
// this package alone.
type ReadCloser interface {
	Read(p []byte) (int, error)
	Close() error
}

// sinkError carries an error the Handler returned through a parser, so the
// parser's own error conversion leaves it alone.
type sinkError struct{ err error }

func (e sinkError) Error() string { return e.err.Error() }
func (e sinkError) Unwrap() error { return e.err }

// Call calls h and marks its error as the handler's (see Unwrap).
func Call(h Handler, c *Case) error {
	if err := h(c); err != nil {
		return sinkError{err}
	}
	return nil
}

// HandlerError returns the handler's own error when err carries one, else
// nil.
func HandlerError(err error) error {
	if se, ok := err.(sinkError); ok { //nolint:errorlint // only our own wrapper, never wrapped further
		return se.err
	}
	return nil
}
