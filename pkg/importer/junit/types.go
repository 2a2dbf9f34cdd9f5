// Package junit reads JUnit XML reports as a stream of tokens, handing each
// <testcase> to a callback as soon as it is complete, so a report of any
// size is parsed with one test case in memory. It knows the dialects
// (pytest, Surefire/Gradle, jest-junit, go-junit-report/gotestsum,
// cargo-nextest...) only as far as they differ in where they put things;
// turning cases into Ibutsu results is the importer's job.
package junit

import "github.com/ibutsu-go/ibutsu/pkg/importer/ingest"

// Property is one <property key="..." value="..."/> or <property
// name="..." value="..."/>. The name= properties of a block that is a JVM
// system-properties dump (Surefire writes hundreds into every suite) are
// dropped so they do not flood every result's metadata; upstream reads
// only key=.
type Property struct {
	Key string
	// Value is nil when the attribute is missing (upstream stores null).
	Value *string
}

// Counts are the summary attributes of a <testsuites> or <testsuite>.
type Counts struct {
	Tests, Failures, Errors, Skipped, XFailures, XPasses int64
	// Time is the `time` attribute in seconds.
	Time float64
}

// Add sums c and o.
func (c Counts) Add(o Counts) Counts {
	return Counts{Tests: c.Tests + o.Tests, Failures: c.Failures + o.Failures, Errors: c.Errors + o.Errors,
		Skipped: c.Skipped + o.Skipped, XFailures: c.XFailures + o.XFailures, XPasses: c.XPasses + o.XPasses,
		Time: c.Time + o.Time}
}

// Root is the document element and what precedes its first suite.
type Root struct {
	// Element is "testsuites" or "testsuite".
	Element string
	Name    string
	// Timestamp is the raw `timestamp` attribute ("" when absent).
	Timestamp string
	Counts    Counts
	// Properties are the root's own <properties>, in document order.
	Properties []Property
}

// Suite is a <testsuite>; nested suites point at their parent.
type Suite struct {
	Parent     *Suite
	Name       string
	File       string
	Properties []Property
	Counts     Counts
	// TopLevel marks the suites whose attributes feed the summary back-fill:
	// the root <testsuite> itself, or the direct children of <testsuites>.
	TopLevel bool
	// chainSize is the size of the properties of this suite and its
	// ancestors below the root (see parser.inheritedSize).
	chainSize int
}

// Status is a test case's outcome in Ibutsu's vocabulary (ingest's; a
// <testcase> is never manual or blocked).
type Status = ingest.Outcome

// Case is one <testcase>.
type Case struct {
	// Suite is the innermost enclosing suite (nil never happens for a case
	// the parser hands out).
	Suite     *Suite
	Name      string
	Classname string
	// HasClassname distinguishes classname="" from no attribute.
	HasClassname bool
	File         string
	// Line is the raw `line` attribute, nil when absent.
	Line *string
	Time float64
	// Status follows upstream's precedence: failure, error, skipped,
	// xfailure, xpassed, else passed.
	Status Status
	// Traceback is the text of the first <failure> (or, without one, the
	// first <error>); empty when it has none.
	Traceback string
	// Message and Type are the message and type attributes of the element
	// Traceback came from (e.g. "assert 1 == 2", "AssertionError"); empty
	// when absent.
	Message, Type string
	// SkipReason is the text of <skipped>, or its message attribute when the
	// text is empty (go-junit-report and cargo-nextest put it there).
	SkipReason string
	// SystemOut and SystemErr are nil when the element is absent.
	SystemOut, SystemErr *string
	Properties           []Property
	// Truncated names the elements whose text was cut at Options.MaxText
	// ("system-out", "failure"...), in document order.
	Truncated []string
}
