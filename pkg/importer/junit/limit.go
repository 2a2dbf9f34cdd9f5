package junit

import (
	"fmt"
	"io"

	"github.com/ibutsu-go/ibutsu/pkg/importer/filterread"
)

// Options bound what one report may cost while it is read.
type Options struct {
	// MaxText caps the character data kept of one element (a <system-out>
	// of 300 MB keeps its first MaxText bytes and a marker); 0 means no cap.
	MaxText int
	// MaxMarkup caps one tag, comment or declaration, attributes included;
	// a longer one (a 50 MB test name) makes the report invalid. 0 means
	// no cap.
	MaxMarkup int
}

// textMarker replaces the cut-off part of a long text. It holds no '<',
// '&', "]]>" or "--", so it is valid wherever text, CDATA or a comment is.
const textMarker = "\n[ibutsu: truncated; the text was longer than the import limit]\n"

var markerBytes = []byte(textMarker)

// MarkerLen is the length of the marker a cut text ends with.
const MarkerLen = len(textMarker)

// limiter sits between the stored bytes and encoding/xml, whose tokenizer
// holds a whole text node or tag in memory however long it is. It follows
// just enough of XML's lexical structure (text, tags with quoted
// attributes, CDATA sections, comments) to cut every text run at MaxText
// bytes — at a character boundary and outside an entity reference, with
// textMarker in place of the rest, which is read and dropped — and to
// refuse a tag longer than MaxMarkup. The input must be ASCII-compatible
// (UTF-8 or a single-byte charset), which is all encoding/xml reads.
type limiter struct {
	fr   *filterread.Reader
	opt  Options
	st   lexState
	run  int    // bytes of the current text/CDATA/comment run or tag
	pre  []byte // bytes after '<' while the markup's kind is open
	dash int    // consecutive ']' or '-' seen (CDATA and comment ends)
	quot byte   // the quote of the attribute value being read, 0 outside
	amp  int    // bytes since an unterminated '&', -1 when none
	drop bool   // the rest of the current run is dropped
	// grace counts the bytes allowed past the cut to finish a character
	// or entity reference.
	grace int
	// cuts counts truncations so far.
	cuts int
	pos  int64 // input bytes consumed, for error messages
}

type lexState int

const (
	stText lexState = iota
	stOpen          // after '<', deciding between tag, CDATA and comment
	stTag
	stCDATA
	stComment
)

const (
	cdataOpen   = "![CDATA["
	commentOpen = "!--"
	// maxGrace bounds the bytes kept past the cut: a UTF-8 character or a
	// character reference is shorter.
	maxGrace = 16
)

func newLimiter(r io.Reader, opt Options) *limiter {
	l := &limiter{opt: opt, amp: -1}
	l.fr = filterread.New(r, 32<<10, l.fill)
	return l
}

func (l *limiter) Read(p []byte) (int, error) { return l.fr.Read(p) }

// fill lexes one chunk of input into the output.
func (l *limiter) fill(in []byte) error {
	for _, c := range in {
		if e := l.step(c); e != nil {
			return e
		}
	}
	return nil
}

func (l *limiter) emit(c byte) { l.fr.Out = append(l.fr.Out, c) }

// step consumes one input byte.
func (l *limiter) step(c byte) error {
	l.pos++
	switch l.st {
	case stText:
		if c == '<' {
			l.endDrop()
			l.emit(c)
			l.st, l.run, l.pre = stOpen, 1, l.pre[:0]
			return nil
		}
		l.content(c, false)
	case stOpen:
		l.emit(c)
		l.run++
		l.pre = append(l.pre, c)
		switch {
		case string(l.pre) == cdataOpen:
			l.st, l.run, l.dash = stCDATA, 0, 0
		case string(l.pre) == commentOpen:
			l.st, l.run, l.dash = stComment, 0, 0
		case !hasPrefix(cdataOpen, l.pre) && !hasPrefix(commentOpen, l.pre):
			// A tag: this byte is its first, processed as such.
			l.st = stTag
			l.fr.Out = l.fr.Out[:len(l.fr.Out)-1]
			l.run--
			l.pos--
			return l.step(c)
		}
	case stTag:
		l.emit(c)
		l.run++
		if l.opt.MaxMarkup > 0 && l.run > l.opt.MaxMarkup {
			return fmt.Errorf("a tag at byte %d is longer than %d bytes", l.pos, l.opt.MaxMarkup)
		}
		switch {
		case l.quot != 0:
			if c == l.quot {
				l.quot = 0
			}
		case c == '"' || c == '\'':
			l.quot = c
		case c == '>':
			l.st, l.run = stText, 0
		}
	case stCDATA, stComment:
		end := byte(']')
		if l.st == stComment {
			end = '-'
		}
		if c == '>' && l.dash >= 2 {
			// The terminator: "]]>" or "-->", re-emitted whole if its
			// first bytes fell into the dropped part.
			if l.drop {
				l.endDrop()
				l.fr.Out = append(l.fr.Out, end, end)
			}
			l.emit(c)
			l.st, l.run, l.dash = stText, 0, 0
			return nil
		}
		if c == end {
			l.dash++
		} else {
			l.dash = 0
		}
		l.content(c, true)
	}
	return nil
}

// content handles one byte of a text, CDATA or comment run.
func (l *limiter) content(c byte, raw bool) {
	if l.drop {
		return
	}
	l.run++
	inEntity := !raw && l.amp >= 0 // an '&' before this byte is still open
	if !raw {
		switch {
		case c == '&':
			l.amp = 0
		case c == ';':
			l.amp = -1
		case l.amp >= 0:
			l.amp++
		}
	}
	if l.opt.MaxText <= 0 || l.run <= l.opt.MaxText {
		l.emit(c)
		return
	}
	// Past the cap: finish a multi-byte character or an entity reference
	// (within maxGrace bytes), then cut.
	if (c&0xC0 == 0x80 || inEntity) && l.grace < maxGrace {
		l.grace++
		l.emit(c)
		return
	}
	l.fr.Out = append(l.fr.Out, textMarker...)
	l.drop, l.cuts = true, l.cuts+1
}

// endDrop leaves dropping mode at the end of a run.
func (l *limiter) endDrop() {
	l.drop, l.grace, l.amp = false, 0, -1
}

func hasPrefix(full string, p []byte) bool {
	return len(p) <= len(full) && full[:len(p)] == string(p)
}
