package artifact

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	mrand "math/rand/v2"
	"strings"
	"testing"
)

// firstPiece is the piece in which "\r\n--boundary" first ends in the
// stream CRLF + pieces (what boundaryScan.found must say), -1 for none.
func firstPiece(pieces [][]byte, boundary string) int {
	stream := append([]byte("\r\n"), bytes.Join(pieces, nil)...)
	at := bytes.Index(stream, []byte("\r\n--"+boundary))
	if at < 0 {
		return -1
	}
	end := at + len(boundary) + 4 // the pattern's end in stream
	sum := 2
	for k, p := range pieces {
		sum += len(p)
		if end <= sum {
			return k
		}
	}
	return -1
}

// TestBoundaryScanAgrees: over streams of random bytes, of text made of
// the pattern's own bytes (where the search moves least) and of both with
// the pattern, or all of it but one byte, put in at random places, cut
// into random pieces, the scan names the same piece as bytes.Index over
// the whole stream, for short, usual, dashed (curl's) and long
// boundaries.
func TestBoundaryScanAgrees(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(1, 2))
	boundaries := []string{"x", "ab", "xyz", "0123456789abcdef0123456789abcdef",
		"------------------------d74496d66958873e", strings.Repeat("9f", 30), strings.Repeat("q-", 150)}
	for _, boundary := range boundaries {
		pat := []byte("\r\n--" + boundary)
		alphabet := append([]byte("\r\n-"), boundary...)
		for trial := range 300 {
			var stream []byte
			for len(stream) < 2000+rng.IntN(200_000) {
				switch rng.IntN(6) {
				case 0: // random bytes
					b := make([]byte, rng.IntN(5000))
					_, _ = rand.Read(b)
					stream = append(stream, b...)
				case 1, 2: // the pattern's own bytes
					for range rng.IntN(3000) {
						stream = append(stream, alphabet[rng.IntN(len(alphabet))])
					}
				case 3: // all of the pattern but one byte
					near := bytes.Clone(pat)
					near[rng.IntN(len(near))] ^= 1
					stream = append(stream, near...)
				case 4: // a start of the pattern
					stream = append(stream, pat[:rng.IntN(len(pat))]...)
				case 5:
					if rng.IntN(4) == 0 {
						stream = append(stream, pat...)
					}
				}
			}
			var pieces [][]byte
			for rest := stream; len(rest) > 0; {
				n := min(len(rest), 1+rng.IntN([]int{3, 70, 4096, 300_000}[rng.IntN(4)]))
				pieces, rest = append(pieces, rest[:n]), rest[n:]
			}
			want := firstPiece(pieces, boundary)
			s, got := newBoundaryScan(boundary), -1
			for k, p := range pieces {
				if s.found(p) {
					got = k
					break
				}
			}
			if got != want {
				t.Fatalf("boundary %q, trial %d: found in piece %d of %d, want %d", boundary, trial, got, len(pieces), want)
			}
		}
	}
}

// TestBoundaryScanLooksAtLittle: in a binary file (random bytes) the
// search compares about one byte in len(pattern), not every byte; in
// text made to make it compare the pattern at every other byte it gives
// up early and stays linear.
func TestBoundaryScanLooksAtLittle(t *testing.T) {
	boundary := strings.Repeat("5e", 30) // Go's writer: 30 random bytes in hex
	file := make([]byte, 4<<20)
	_, _ = rand.Read(file)
	s := newBoundaryScan(boundary)
	for b := file; len(b) > 0; b = b[min(len(b), directRead):] {
		if s.found(b[:min(len(b), directRead)]) {
			t.Skip("random bytes held the boundary")
		}
	}
	if s.looked > len(file)/16 {
		t.Fatalf("binary file: looked at %d bytes of %d, want at most 1 in 16", s.looked, len(file))
	}

	// The pattern ends in "e5e": after each compare the search moves two
	// bytes, onto the next "\r" with an "e" under the pattern's end.
	hard := bytes.Repeat([]byte("\re"), 1<<20)
	s = newBoundaryScan(boundary)
	if s.found(hard) {
		t.Fatal("found the boundary in text without it")
	}
	if s.looked > 3*len(hard) {
		t.Fatalf("hard text: looked at %d bytes of %d, want at most 3 times", s.looked, len(hard))
	}
}

// TestReadPartStraddles: a boundary may lie across the body's pieces in
// any way. For the pattern across each border of the pieces at every
// offset (and at the file's start, after the headers' CRLF), readPart
// ends with errBoundary at the piece that holds the pattern's end, before
// reading another; without it, every byte is read and the closing
// delimiter is taken as the end.
func TestReadPartStraddles(t *testing.T) {
	const size, piece = 300_000, 100_003
	rng := mrand.New(mrand.NewPCG(3, 4))
	clean := make([]byte, size)
	for i := range clean {
		clean[i] = byte(rng.Uint32())
	}
	file, kept := bytes.Clone(clean), make([]byte, 0, size+1)
	for _, boundary := range []string{"xyz", strings.Repeat("5e", 30)} {
		pat := []byte("\r\n--" + boundary)
		if bytes.Contains(append([]byte("\r\n"), clean...), pat) {
			t.Fatal("random bytes held the boundary")
		}
		run := func() (*boundaryScan, *fill, error) {
			r := io.LimitReader(&cappedReader{r: bytes.NewReader(file), most: piece}, size)
			s, w := newBoundaryScan(boundary), &fill{b: kept[:0]}
			return s, w, readPart(r, s, w)
		}
		s, w, err := run()
		if err != nil || !bytes.Equal(w.b, clean) {
			t.Fatalf("boundary %q: clean file: %d bytes, %v", boundary, len(w.b), err)
		}
		if !s.closedBy([]byte(closeDelimiter(boundary)), boundary) {
			t.Fatalf("boundary %q: the closing delimiter not taken as the end", boundary)
		}
		starts := map[int]bool{-2: true} // -2: the file starts with "--boundary"
		for b := piece; b < size; b += piece {
			for o := b - len(pat); o <= b; o++ {
				starts[o] = true
			}
		}
		for o := range starts {
			copy(file[max(o, 0):], pat[max(-o, 0):])
			_, w, err := run()
			end := o + len(pat)
			if !errors.Is(err, errBoundary) || len(w.b) < end || len(w.b) >= end+piece {
				t.Fatalf("boundary %q, pattern at %d: %v after %d bytes", boundary, o, err, len(w.b))
			}
			copy(file, clean)
		}
	}
}

// TestBoundaryScanEveryOffset: the search looks at one byte in
// len(pattern); the pattern is found at every offset of pieces of every
// length around that stride, and all of it but one byte never is.
func TestBoundaryScanEveryOffset(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(5, 6))
	for _, boundary := range []string{"x", "xyz", strings.Repeat("5e", 30), strings.Repeat("q-", 40)} {
		pat := []byte("\r\n--" + boundary)
		m := len(pat)
		for n := m; n <= 3*m+2; n++ {
			for o := 0; o+m <= n; o++ {
				b := make([]byte, n)
				for i := range b {
					b[i] = pat[rng.IntN(m)] // bytes the search must look past
				}
				copy(b[o:], pat)
				if at := bytes.Index(b, pat); at != o {
					continue // the filler made the pattern earlier
				}
				if s := newBoundaryScan(boundary); !s.in(b) {
					t.Fatalf("boundary %q: not found at %d of %d", boundary, o, n)
				}
				b[o+rng.IntN(m)] ^= 0x80
				if s := newBoundaryScan(boundary); s.in(b) != bytes.Contains(b, pat) {
					t.Fatalf("boundary %q: found at %d of %d with a byte changed", boundary, o, n)
				}
			}
		}
	}
}
