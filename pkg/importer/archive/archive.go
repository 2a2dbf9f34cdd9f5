// Package archive reads Ibutsu archives — the .tar.gz files pytest-ibutsu's
// archive mode writes — as a stream of classified members, with the limits
// an upload from the internet needs: member names are validated (no
// absolute paths, no "..", no links; nothing is ever written to disk), and
// the member count and decompressed bytes are capped so a gzip bomb stops
// early instead of exhausting memory or time.
package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/google/uuid"
)

// Kind says what an archive member is.
type Kind int

// Member kinds, by their place in the archive layout
// <run>/run.json, <run>/<file>, <run>/<result>/result.json, <run>/<result>/<file>.
const (
	RunJSON Kind = iota + 1
	RunArtifact
	ResultJSON
	ResultArtifact
)

// Member is one regular file of the archive.
type Member struct {
	Kind Kind
	// Run is the run directory's id; Result the result directory's id
	// (uuid.Nil for run-level members).
	Run, Result uuid.UUID
	// Name is the file name (the last path segment).
	Name string
	// Path is the member's cleaned path inside the archive.
	Path string
	// Size is the member's size from its header.
	Size int64
	// Body reads the member's bytes; it is only valid inside the callback.
	Body io.Reader
}

// Limits bound what reading an archive may cost.
type Limits struct {
	// MaxEntries caps the number of members (directories included).
	MaxEntries int
	// MaxBytes caps the sum of member sizes after decompression.
	MaxBytes int64
}

// ErrInvalid marks an archive that is malformed or breaks a limit; the
// message is meant for the uploader.
var ErrInvalid = errors.New("invalid archive")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Walk reads a gzip-compressed (or, as upstream's tarfile auto-detection
// allows, uncompressed) tar stream and calls fn for each regular file in
// tar order. Directories are skipped; links, devices and names that escape
// the archive are errors.
func Walk(r io.Reader, lim Limits, fn func(Member) error) error {
	br := bufio.NewReader(r)
	var src io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return invalid("not a gzip stream: %v", err)
		}
		defer func() { _ = zr.Close() }() // read side: a corrupt stream already failed the read
		src = zr
	}
	tr := tar.NewReader(src)
	entries := 0
	var total int64
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			if entries == 0 {
				return invalid("the archive is empty")
			}
			return nil
		}
		if err != nil {
			return invalid("cannot read tar stream after %d members: %v", entries, err)
		}
		entries++
		if lim.MaxEntries > 0 && entries > lim.MaxEntries {
			return invalid("more than %d members", lim.MaxEntries)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if _, err := cleanName(h.Name); err != nil {
				return err
			}
			continue
		case tar.TypeReg: // tar.Reader reports old-style TypeRegA entries as TypeReg
		case tar.TypeXGlobalHeader:
			continue
		default:
			return invalid("member %q is not a regular file or directory (type %q)", h.Name, string(h.Typeflag))
		}
		if h.Size < 0 {
			return invalid("member %q has a negative size", h.Name)
		}
		total += h.Size
		if lim.MaxBytes > 0 && total > lim.MaxBytes {
			return invalid("more than %d bytes once decompressed", lim.MaxBytes)
		}
		m, err := classify(h.Name)
		if err != nil {
			return err
		}
		m.Size = h.Size
		m.Body = tr
		if err := fn(m); err != nil {
			return err
		}
	}
}

// cleanName validates a member name and returns its segments. A leading
// "./" (GNU tar's default) is tolerated; upstream rejects it (FX-10b).
func cleanName(name string) ([]string, error) {
	n := strings.TrimPrefix(name, "./")
	n = strings.TrimSuffix(n, "/")
	if n == "" || n == "." {
		return nil, nil
	}
	if strings.HasPrefix(n, "/") || strings.Contains(n, "\\") || strings.ContainsRune(n, 0) || path.Clean(n) != n {
		return nil, invalid("unsafe member name %q", name)
	}
	for _, s := range strings.Split(n, "/") {
		if s == ".." {
			return nil, invalid("unsafe member name %q", name)
		}
	}
	return strings.Split(n, "/"), nil
}

// classify maps a file's name onto the archive layout.
func classify(name string) (Member, error) {
	segs, err := cleanName(name)
	if err != nil {
		return Member{}, err
	}
	if len(segs) < 2 {
		return Member{}, invalid("member %q is not inside a run directory", name)
	}
	run, err := uuid.Parse(segs[0])
	if err != nil {
		return Member{}, invalid("Invalid run ID %s in archive import", segs[0])
	}
	m := Member{Run: run, Name: segs[len(segs)-1], Path: strings.Join(segs, "/")}
	switch len(segs) {
	case 2:
		m.Kind = RunArtifact
		if strings.HasSuffix(m.Name, "run.json") {
			m.Kind = RunJSON
		}
	case 3:
		if m.Result, err = uuid.Parse(segs[1]); err != nil {
			return Member{}, invalid("Invalid result ID %s in archive import", segs[1])
		}
		m.Kind = ResultArtifact
		if strings.HasSuffix(m.Name, "result.json") {
			m.Kind = ResultJSON
		}
	default:
		return Member{}, invalid("member %q is nested deeper than <run>/<result>/<file>", name)
	}
	return m, nil
}
