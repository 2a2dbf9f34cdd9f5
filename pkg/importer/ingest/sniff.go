package ingest

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// HeadSize is how much of a file detection sees.
const HeadSize = 64 << 10

// Match is how sure a detector is that a file is its format.
type Match int

// Detection results: the strongest match wins; among equals the format
// registered first. Weak is for a catch-all (any XML document goes to the
// JUnit importer, which then says precisely what is wrong with it).
const (
	No Match = iota
	Weak
	Sure
)

// Head is the start of a file with the views detectors need, computed
// once: the XML root element, a JSON document's shape and first keys, the
// first text lines, and a gzip'd tar's first member names.
type Head struct {
	// Bytes are the first HeadSize bytes (fewer for a shorter file).
	Bytes []byte

	xmlDone  bool
	xmlRoot  string
	xmlNS    string
	jsonDone bool
	jsonKind byte // '{', '[' or 0
	jsonKeys []string
	elemKeys []string
	tarDone  bool
	tarNames []string
}

// NewHead reads the head of r (at most HeadSize bytes).
func NewHead(r io.Reader) (*Head, error) {
	b, err := io.ReadAll(io.LimitReader(r, HeadSize))
	if err != nil {
		return nil, err
	}
	return &Head{Bytes: b}, nil
}

// text is the head without a UTF-8 byte order mark.
func (h *Head) text() []byte {
	return bytes.TrimPrefix(h.Bytes, []byte("\xef\xbb\xbf"))
}

// XMLRoot is the local name and namespace of the document element; ""
// when the head is not XML or ends before the root element starts.
func (h *Head) XMLRoot() (name, space string) {
	if h.xmlDone {
		return h.xmlRoot, h.xmlNS
	}
	h.xmlDone = true
	t := bytes.TrimLeft(h.text(), " \t\r\n")
	if len(t) == 0 || t[0] != '<' {
		return "", ""
	}
	d := xml.NewDecoder(bytes.NewReader(t))
	d.Strict = false
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	for range 1000 {
		tok, err := d.RawToken()
		if err != nil {
			return "", ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			h.xmlRoot, h.xmlNS = se.Name.Local, ""
			for _, a := range se.Attr {
				if a.Name.Space == "" && a.Name.Local == "xmlns" {
					h.xmlNS = a.Value
				}
			}
			return h.xmlRoot, h.xmlNS
		}
	}
	return "", ""
}

// LooksXML reports whether the head starts (after a BOM and whitespace)
// with '<'.
func (h *Head) LooksXML() bool {
	t := bytes.TrimLeft(h.text(), " \t\r\n")
	return len(t) > 0 && t[0] == '<'
}

// JSON tells the document's shape: kind is '{' or '[' (0 when the head
// does not start a JSON document), keys the top-level keys read within
// the head (in order), and elemKeys, for an array, the keys of its first
// element that is an object.
func (h *Head) JSON() (kind byte, keys, elemKeys []string) {
	if h.jsonDone {
		return h.jsonKind, h.jsonKeys, h.elemKeys
	}
	h.jsonDone = true
	t := bytes.TrimLeft(h.text(), " \t\r\n")
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return 0, nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(t))
	tok, err := d.Token()
	if err != nil {
		return 0, nil, nil
	}
	delim, _ := tok.(json.Delim)
	h.jsonKind = byte(delim)
	switch delim {
	case '{':
		h.jsonKeys = objectKeys(d)
	case '[':
		if tok, err := d.Token(); err == nil {
			if dl, ok := tok.(json.Delim); ok && dl == '{' {
				h.elemKeys = objectKeys(d)
			}
		}
	}
	return h.jsonKind, h.jsonKeys, h.elemKeys
}

// objectKeys reads the keys of the object d just entered, skipping their
// values, until the object or the head ends.
func objectKeys(d *json.Decoder) []string {
	var keys []string
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return keys
		}
		k, ok := tok.(string)
		if !ok {
			return keys
		}
		keys = append(keys, k)
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

// HasKey reports whether keys holds k.
func HasKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// Lines returns up to n lines of the head (the last one may be cut), as
// text without their line ends; nil when the head is not UTF-8 text.
func (h *Head) Lines(n int) []string {
	t := h.text()
	if bytes.IndexByte(t, 0) >= 0 {
		return nil
	}
	// The head may end inside a character.
	for i := 0; i < utf8.UTFMax && len(t) > 0 && !utf8.Valid(t); i++ {
		t = t[:len(t)-1]
	}
	if !utf8.Valid(t) {
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(t))
	sc.Buffer(make([]byte, 0, 4096), HeadSize+1)
	var out []string
	for sc.Scan() && len(out) < n {
		out = append(out, strings.TrimRight(sc.Text(), "\r"))
	}
	return out
}

// Gzip reports whether the head starts with gzip's magic bytes.
func (h *Head) Gzip() bool {
	return len(h.Bytes) >= 2 && h.Bytes[0] == 0x1f && h.Bytes[1] == 0x8b
}

// Zip reports whether the head starts with a zip local file header.
func (h *Head) Zip() bool {
	return bytes.HasPrefix(h.Bytes, []byte("PK\x03\x04"))
}

// TarNames are the names of the members of a gzip'd tar whose headers lie
// within the head (decompressed as far as it goes); nil otherwise.
func (h *Head) TarNames() []string {
	if h.tarDone {
		return h.tarNames
	}
	h.tarDone = true
	if !h.Gzip() {
		return nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(h.Bytes))
	if err != nil {
		return nil
	}
	var plain bytes.Buffer
	_, err = io.Copy(&plain, io.LimitReader(zr, 4*HeadSize))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		// A head cut inside the stream ends the read early; what was
		// inflated before is still good.
		_ = err
	}
	tr := tar.NewReader(&plain)
	for range 256 {
		hd, err := tr.Next()
		if err != nil {
			break
		}
		h.tarNames = append(h.tarNames, hd.Name)
	}
	return h.tarNames
}
