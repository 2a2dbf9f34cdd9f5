package junit

import (
	"encoding/xml"
	"fmt"
)

// MaxNesting bounds how deeply elements of any kind may nest in an XML
// report (JUnit here, NUnit, xUnit.net and TRX through xmlscan). The
// decoder keeps a stack entry for every open element, whichever parser
// skips it: 30 MB of "<x>" held about 600 MiB of heap, so a 512 MiB upload
// could take some 10 GiB of the worker (the whole server, embedded). Real
// reports nest a few dozen levels (suites included).
const MaxNesting = 1000

// Nesting counts the open elements of one document, for the MaxNesting
// bound; both XML token loops (this parser's and xmlscan's) keep one.
type Nesting struct{ depth int }

// Track counts tok and reports whether the document is still within
// MaxNesting.
func (n *Nesting) Track(tok xml.Token) bool {
	switch tok.(type) {
	case xml.StartElement:
		n.depth++
	case xml.EndElement:
		n.depth--
	}
	return n.depth <= MaxNesting
}

// TooDeep is the message of a document nested deeper than MaxNesting.
func TooDeep() string {
	return fmt.Sprintf("elements nested deeper than %d levels", MaxNesting)
}

// SkipRest consumes the rest of the element whose start tag was just read,
// iteratively, reading through next so the nesting bound holds inside
// skipped elements too (xml.Decoder.Skip reads the decoder directly, and
// recurses once per level).
func SkipRest(next func() (xml.Token, error)) error {
	for depth := 1; depth > 0; {
		tok, err := next()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}
