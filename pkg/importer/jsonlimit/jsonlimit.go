// Package jsonlimit bounds what encoding/json holds in memory while a
// report is decoded: its tokenizer keeps a whole string (a 300 MB base64
// attachment, a log) in memory however long it is. Reader sits between the
// bytes and the decoder and cuts every string at a maximum length — at a
// UTF-8 character boundary and outside an escape sequence — with Marker in
// place of the rest, which is read and dropped; a number or literal longer
// than the same bound, or nesting deeper than MaxDepth, makes the input
// invalid. The output stays valid JSON whenever the input was.
package jsonlimit

import (
	"fmt"
	"io"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/importer/filterread"
)

// Marker replaces the cut-off part of a long string (as decoded).
const Marker = "\n[ibutsu: truncated; the text was longer than the import limit]\n"

// rawMarker is Marker as JSON string content.
const rawMarker = `\n[ibutsu: truncated; the text was longer than the import limit]\n`

// MaxDepth bounds nested arrays and objects.
const MaxDepth = 256

// Truncated reports whether s was cut by a Reader.
func Truncated(s string) bool { return strings.HasSuffix(s, Marker) }

type state int

const (
	stOut state = iota
	stStr
	stEsc  // after a backslash
	stUni  // inside \uXXXX
	stDrop // the rest of a cut string is dropped
	stDropEsc
)

// Reader is the bounding reader; see the package doc.
type Reader struct {
	fr    *filterread.Reader
	max   int
	st    state
	run   int // bytes of the current string or bare token
	hex   int // hex digits left in \uXXXX
	depth int
	pos   int64
}

// New wraps r; strings keep at most maxString bytes (<= 0: no cut).
func New(r io.Reader, maxString int) *Reader {
	l := &Reader{max: maxString}
	l.fr = filterread.New(r, 32<<10, l.fill)
	return l
}

// Reset makes l read r from its start, keeping its buffers (for many
// small documents in a row).
func (l *Reader) Reset(r io.Reader) {
	l.fr.Reset(r)
	*l = Reader{fr: l.fr, max: l.max}
}

// Offset is the number of input bytes consumed so far.
func (l *Reader) Offset() int64 { return l.pos }

func (l *Reader) Read(p []byte) (int, error) { return l.fr.Read(p) }

// fill lexes one chunk of input into the output.
func (l *Reader) fill(in []byte) error {
	for i := 0; i < len(in); i++ {
		if j := l.plain(in, i); j > i {
			i = j - 1
			continue
		}
		if e := l.step(in[i]); e != nil {
			return e
		}
	}
	return nil
}

// plain handles, in one go, the run of bytes from in[i] that need no
// decision: string content below the bound, or the dropped rest of a cut
// string, up to the next quote or backslash. It returns where the run
// ends (i when there is none).
func (l *Reader) plain(in []byte, i int) int {
	switch l.st {
	case stStr:
		end := len(in)
		if l.max > 0 {
			if l.run >= l.max {
				return i
			}
			end = min(end, i+l.max-l.run)
		}
		j := i
		for j < end && in[j] != '"' && in[j] != '\\' {
			j++
		}
		l.fr.Out = append(l.fr.Out, in[i:j]...)
		l.run += j - i
		l.pos += int64(j - i)
		return j
	case stDrop:
		j := i
		for j < len(in) && in[j] != '"' && in[j] != '\\' {
			j++
		}
		l.pos += int64(j - i)
		return j
	}
	return i
}

func (l *Reader) step(c byte) error {
	l.pos++
	switch l.st {
	case stOut:
		switch c {
		case '"':
			l.st, l.run = stStr, 0
		case '[', '{':
			l.depth++
			if l.depth > MaxDepth {
				return fmt.Errorf("nesting deeper than %d at byte %d", MaxDepth, l.pos)
			}
			l.run = 0
		case ']', '}':
			l.depth--
			l.run = 0
		case ',', ':', ' ', '\t', '\r', '\n':
			l.run = 0
		default:
			l.run++
			if l.max > 0 && l.run > l.max {
				return fmt.Errorf("a value at byte %d is longer than %d bytes", l.pos, l.max)
			}
		}
	case stStr:
		switch {
		case c == '"':
			l.st = stOut
			l.run = 0
		case l.max > 0 && l.run >= l.max && c&0xC0 != 0x80:
			// Cut here: c starts a character (or an escape), so what was
			// kept is whole.
			l.fr.Out = append(l.fr.Out, rawMarker...)
			if c == '\\' {
				l.st = stDropEsc
			} else {
				l.st = stDrop
			}
			return nil
		case c == '\\':
			l.st = stEsc
		}
		l.run++
	case stEsc:
		l.run++
		if c == 'u' {
			l.st, l.hex = stUni, 4
		} else {
			l.st = stStr
		}
	case stUni:
		l.run++
		l.hex--
		if l.hex == 0 {
			l.st = stStr
		}
	case stDrop:
		switch c {
		case '"':
			l.st = stOut
			l.run = 0
		case '\\':
			l.st = stDropEsc
		}
		if l.st != stOut {
			return nil
		}
	case stDropEsc:
		l.st = stDrop
		return nil
	}
	l.fr.Out = append(l.fr.Out, c)
	return nil
}
