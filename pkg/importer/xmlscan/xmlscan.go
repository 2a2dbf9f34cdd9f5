// Package xmlscan is the token loop the streaming XML report parsers
// (NUnit 3, xUnit.net v2, TRX) share. Each of them reads its document as a
// stream of tokens, hands a test case out as soon as its element ends, and
// keeps nothing else; what differs between them is only which elements
// matter. The decoder setup (bounds, strictness, charsets), the document
// loop with its root-element check, the walk through one element's
// children with their text, and the errors with line and offset were the
// same code three times; they are here once.
package xmlscan

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/ibutsu-go/ibutsu/pkg/importer/junit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
)

// Scanner is one pass over one XML report of a format.
type Scanner struct {
	*xml.Decoder
	format string
	nest   junit.Nesting
}

// Token is the decoder's Token refusing elements nested deeper than
// junit.MaxNesting: the decoder's stack of open elements would otherwise
// grow with the input, skipped elements included.
func (s *Scanner) Token() (xml.Token, error) {
	tok, err := s.Decoder.Token()
	if err != nil {
		return tok, err
	}
	if !s.nest.Track(tok) {
		return nil, s.Fail(junit.TooDeep())
	}
	return tok, nil
}

// Skip consumes the rest of the element whose start tag was just read,
// through Token so the nesting bound holds there too.
func (s *Scanner) Skip() error { return junit.SkipRest(s.Token) }

// New reads r with the bounds of opt (text cut at MaxText, a tag longer
// than MaxMarkup refused: see junit.Options), strictly, in any charset the
// XML declaration names. format names the report in errors.
func New(r io.Reader, format string, opt junit.Options) *Scanner {
	d := xml.NewDecoder(junit.LimitReader(r, opt))
	d.Strict = true
	d.CharsetReader = charset.NewReaderLabel
	return &Scanner{Decoder: d, format: format}
}

// Fail is a *tcase.Error at the scanner's position.
func (s *Scanner) Fail(msg string) error {
	line, _ := s.InputPos()
	return &tcase.Error{Format: s.format, Line: line, Offset: s.InputOffset(), Msg: msg}
}

// Error turns what a pass returned into the error its parser returns: the
// handler's own error unchanged, a decoder failure as *tcase.Error with
// line and offset (tcase.XMLError); nil stays nil.
func (s *Scanner) Error(err error) error {
	if err == nil || errors.Is(err, errStop) {
		return nil
	}
	return tcase.XMLError(s.Decoder, s.format, err)
}

// errStop ends Document early without an error (see Stop).
var errStop = errors.New("xmlscan: stop")

// Stop is what Document's callback returns to end the pass there, as if
// the document had ended (TRX's second pass stops after the results).
func Stop() error { return errStop }

// Document reads the whole document. Its root element must be one of
// roots (the first is the one the error names); the callback receives the
// root's start tag with root set, then every later start and end tag
// outside the elements it reads or skips itself. A document without a
// root element is an error.
func (s *Scanner) Document(roots []string, fn func(tok xml.Token, root bool) error) error {
	seen := false
	for {
		tok, err := s.Token()
		if errors.Is(err, io.EOF) {
			if !seen {
				return s.Fail("the document has no root element")
			}
			return nil
		}
		if err != nil {
			return err
		}
		isRoot := false
		if t, ok := tok.(xml.StartElement); ok && !seen {
			if !oneOf(t.Name.Local, roots) {
				return s.Fail("the root element is <" + t.Name.Local + ">, not <" + roots[0] + ">")
			}
			seen, isRoot = true, true
		}
		switch tok.(type) {
		case xml.StartElement, xml.EndElement:
			if err := fn(tok, isRoot); err != nil {
				return err
			}
		}
	}
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// Children reads the children of the element whose start tag was just
// read, up to and including its end tag. start sees every start tag below
// it with its path from the element ("failure/message"); it returns true
// when it read that child to its end itself. end sees every end tag with
// its path and the text read since the last tag (the element's own text
// for a leaf), of which at most textCap bytes are kept.
func (s *Scanner) Children(textCap int, start func(path string, t xml.StartElement) (bool, error), end func(path, text string)) error {
	var path []string
	var text strings.Builder
	for {
		tok, err := s.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p := strings.Join(append(path, t.Name.Local), "/")
			if start != nil {
				done, err := start(p, t)
				if err != nil {
					return err
				}
				if done {
					continue
				}
			}
			path = append(path, t.Name.Local)
			text.Reset()
		case xml.CharData:
			if text.Len() < textCap {
				text.Write(t)
			}
		case xml.EndElement:
			if len(path) == 0 {
				return nil
			}
			end(strings.Join(path, "/"), text.String())
			path = path[:len(path)-1]
			text.Reset()
		}
	}
}

// Attrs copies the attributes named keys that are present and not empty
// into m.
func Attrs(m map[string]any, se xml.StartElement, keys ...string) {
	for _, k := range keys {
		if v := tcase.Attr(se, k); v != "" {
			m[k] = v
		}
	}
}
