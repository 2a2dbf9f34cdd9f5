// Package jsonscan holds the token-level moves of the streaming JSON
// report parsers (Cucumber, Playwright; CTRF shares Skip). They walk the
// outer structure token by token and decode one scenario or spec at a
// time, each value's strings cut at the text bound by a jsonlimit.Reader
// and the value refused past a size bound, so that a report of any size is
// read with one value in memory. Expecting a delimiter or a key, skipping
// a value without holding it, the bounded decode and the errors with their
// byte offset were the same code in each parser; they are here once.
package jsonscan

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/ibutsu-go/ibutsu/pkg/importer/jsonlimit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
)

// Decoder is a json.Decoder over a jsonlimit.Reader, for one pass over
// one report.
type Decoder struct {
	*json.Decoder
	lim      *jsonlimit.Reader
	format   string
	maxValue int
}

// New reads r with strings cut at maxText bytes (<= 0: not cut) and, in
// Value, values refused past maxValue bytes (<= 0: no bound). format names
// the report in errors.
func New(r io.Reader, format string, maxText, maxValue int) *Decoder {
	lim := jsonlimit.New(r, maxText)
	return &Decoder{Decoder: json.NewDecoder(lim), lim: lim, format: format, maxValue: maxValue}
}

// Fail is a *tcase.Error at the decoder's offset.
func (d *Decoder) Fail(format string, args ...any) error {
	return &tcase.Error{Format: d.format, Offset: d.InputOffset(), Msg: fmt.Sprintf(format, args...)}
}

// Wrap turns what a pass returned into the error its parser returns: the
// handler's own error and a *tcase.Error unchanged, anything else (a
// syntax error, a short read) as a *tcase.Error at the decoder's offset.
func (d *Decoder) Wrap(err error) error {
	if err == nil {
		return nil
	}
	if herr := tcase.HandlerError(err); herr != nil {
		return herr
	}
	var e *tcase.Error
	if errors.As(err, &e) {
		return err
	}
	msg := err.Error()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "unexpected end of document"
	}
	return &tcase.Error{Format: d.format, Offset: d.InputOffset(), Msg: msg}
}

// Delim reads the next token, which must be want.
func (d *Decoder) Delim(want json.Delim) error {
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if got, ok := tok.(json.Delim); !ok || got != want {
		return d.Fail("expected %q, found %v", want, tok)
	}
	return nil
}

// Object reads an object member by member: member gets each key and must
// consume its value.
func (d *Decoder) Object(member func(k string) error) error {
	if err := d.Delim('{'); err != nil {
		return err
	}
	for d.More() {
		k, err := d.Key()
		if err != nil {
			return err
		}
		if err := member(k); err != nil {
			return err
		}
	}
	return d.Delim('}')
}

// Key reads an object's next key.
func (d *Decoder) Key() (string, error) {
	return Key(d.Token, func(tok json.Token) error { return d.Fail("expected an object key, found %v", tok) })
}

// Key reads an object's next key with next; a token that is not a key is
// refused with fail(tok), so that a parser reading through its own wrapper
// (CTRF) keeps its own wording and offsets.
func Key(next func() (json.Token, error), fail func(tok json.Token) error) (string, error) {
	tok, err := next()
	if err != nil {
		return "", err
	}
	k, ok := tok.(string)
	if !ok {
		return "", fail(tok)
	}
	return k, nil
}

// Skip reads past one value token by token, holding nothing of it.
func (d *Decoder) Skip() error { return Skip(d.Token) }

// Skip reads past one value with next, token by token: the parsers that
// read tokens through their own wrapper (CTRF counts every value's bytes)
// skip with it too.
func Skip(next func() (json.Token, error)) error {
	depth := 0
	for {
		tok, err := next()
		if err != nil {
			return err
		}
		if delim, ok := tok.(json.Delim); ok {
			switch delim {
			case '[', '{':
				depth++
			default:
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// Value decodes the next value into v, refusing one longer than the size
// bound; what names it in the error ("a scenario").
func (d *Decoder) Value(v any, what string) error {
	start := d.lim.Offset()
	if err := d.Decode(v); err != nil {
		return err
	}
	// The decoder reads ahead in blocks: 64 KiB of slack keep a value just
	// under the bound from being refused for what follows it.
	if d.maxValue > 0 && d.lim.Offset()-start > int64(d.maxValue)+64<<10 {
		return d.Fail("%s is longer than %d bytes", what, d.maxValue)
	}
	return nil
}

// End checks that nothing but white space follows the report.
func (d *Decoder) End() error {
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return d.Fail("data after the report's end")
	}
	return nil
}
