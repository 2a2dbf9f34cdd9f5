package tcase

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"time"
)

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

// ParseTime reads the timestamps the formats write (RFC 3339 with or
// without the T, with or without a zone; no zone is UTC).
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() <= 1 {
				return time.Time{}, false
			}
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// XMLError turns a decoder failure into *Error with the decoder's line and
// offset; io.EOF inside the document is "unexpected end of document".
func XMLError(d *xml.Decoder, format string, err error) error {
	if herr := HandlerError(err); herr != nil {
		return herr
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	line, _ := d.InputPos()
	out := &Error{Format: format, Line: line, Offset: d.InputOffset(), Msg: err.Error()}
	var se *xml.SyntaxError
	switch {
	case errors.As(err, &se):
		out.Msg, out.Line = se.Msg, se.Line
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		out.Msg = "unexpected end of document"
	}
	return out
}

// Attr returns the value of the attribute named local, "" when absent.
func Attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// SplitException splits "System.Exception : text" / "TypeError: text" into
// the exception name and the rest when the prefix looks like a type name.
func SplitException(msg string) (name, rest string) {
	first, _, _ := strings.Cut(msg, "\n")
	i := strings.Index(first, ":")
	if i <= 0 {
		return "", msg
	}
	cand := strings.TrimSpace(first[:i])
	// Node's "AssertionError [ERR_ASSERTION]: ..." names the type first.
	if j := strings.Index(cand, " ["); j > 0 && strings.HasSuffix(cand, "]") {
		cand = cand[:j]
	}
	if cand == "" || strings.ContainsAny(cand, " \t()[]{}'\"<>") {
		return "", msg
	}
	return cand, strings.TrimSpace(msg[i+1:])
}
