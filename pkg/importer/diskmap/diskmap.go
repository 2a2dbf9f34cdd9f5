// Package diskmap is a string-keyed map whose entries live in a temporary
// file, for the importers that must remember something about every test
// of a report between two passes over it (TRX's test definitions when
// they follow the results, Allure's attempts per test). Held in memory,
// that bookkeeping grows with the number of tests — about 1 KiB per test,
// past the 64 MiB an import may cost at some 50,000 tests — while a
// report's size is unbounded. Here memory is one fixed table of chain
// heads (Buckets × 8 bytes, 2 MiB) and a 256 KiB write buffer, whatever
// the number of entries; the entries are appended to the file and found
// again by hash chain, a read per link. The file's pages are the kernel's page
// cache, not the process's resident memory.
//
// When no file can be created, the map keeps its entries in memory (an
// import then costs what it used to rather than failing).
package diskmap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// Buckets is the number of hash chains: with a million entries a lookup
// follows four links on average.
const Buckets = 1 << 18

// An entry in the file is its header — the offset+1 of the next entry of
// its chain (0: none), the key's hash, the key's length and the value's
// length (-1: deleted) — then the key, then the value.
const headerSize = 8 + 4 + 4 + 4

// Map is the map; its zero value is not usable (see New). It is not safe
// for concurrent use.
type Map struct {
	f *os.File
	// end is the file's length with the pending entries.
	end  int64
	head []int64
	// pending holds the latest entries, not yet written, from the offset
	// flushed on: writes go out in large pieces.
	pending []byte
	flushed int64
	buf     []byte
	mem     map[string][]byte
}

// pendingSize is how many bytes of entries wait before one write.
const pendingSize = 256 << 10

// New creates a map in a temporary file of dir (os.TempDir() when ""),
// or in memory when no file can be created there. Close removes the file.
func New(dir string) *Map {
	f, err := os.CreateTemp(dir, "ibutsu-import-*")
	if err != nil {
		return &Map{mem: map[string][]byte{}}
	}
	return &Map{f: f, head: make([]int64, Buckets), buf: make([]byte, 512)}
}

// OnDisk reports whether the entries are in a file (false: in memory).
func (m *Map) OnDisk() bool { return m.f != nil }

// Close removes the file (the map is not usable afterwards).
func (m *Map) Close() error {
	if m.f == nil {
		m.mem = nil
		return nil
	}
	err := m.f.Close()
	if rerr := os.Remove(m.f.Name()); err == nil {
		err = rerr
	}
	m.f, m.head = nil, nil
	return err
}

func hash(key string) uint32 {
	h := fnv.New32a()
	_, _ = io.WriteString(h, key)
	return h.Sum32()
}

// Put sets key to a copy of val.
func (m *Map) Put(key string, val []byte) error {
	if m.f == nil {
		m.mem[key] = append([]byte(nil), val...)
		return nil
	}
	return m.put(key, val, int32(len(val)))
}

// Delete removes key (a missing key is no error).
func (m *Map) Delete(key string) error {
	if m.f == nil {
		delete(m.mem, key)
		return nil
	}
	return m.put(key, nil, -1)
}

func (m *Map) put(key string, val []byte, vlen int32) error {
	if len(key) > 1<<30 || len(val) > 1<<30 {
		return errors.New("diskmap: entry too large")
	}
	h := hash(key)
	b := h % Buckets
	size := headerSize + len(key) + len(val)
	if len(m.pending)+size > pendingSize {
		if err := m.flush(); err != nil {
			return err
		}
	}
	var hd [headerSize]byte
	binary.LittleEndian.PutUint64(hd[0:], uint64(m.head[b]))
	binary.LittleEndian.PutUint32(hd[8:], h)
	binary.LittleEndian.PutUint32(hd[12:], uint32(len(key)))
	binary.LittleEndian.PutUint32(hd[16:], uint32(vlen))
	m.pending = append(append(append(m.pending, hd[:]...), key...), val...)
	m.head[b] = m.end + 1
	m.end += int64(size)
	if len(m.pending) > pendingSize {
		// one entry larger than the buffer: out at once, and the buffer
		// does not stay that large
		err := m.flush()
		m.pending = nil
		return err
	}
	return nil
}

// flush writes the pending entries.
func (m *Map) flush() error {
	if _, err := m.f.WriteAt(m.pending, m.flushed); err != nil {
		return fmt.Errorf("diskmap: write: %w", err)
	}
	m.flushed += int64(len(m.pending))
	m.pending = m.pending[:0]
	return nil
}

// readAt fills p from offset off of the entries, pending or written.
func (m *Map) readAt(p []byte, off int64) error {
	if off >= m.flushed {
		copy(p, m.pending[off-m.flushed:])
		return nil
	}
	if _, err := m.f.ReadAt(p, off); err != nil {
		return fmt.Errorf("diskmap: read: %w", err)
	}
	return nil
}

// Get returns key's value (a fresh slice) and whether key is present.
func (m *Map) Get(key string) ([]byte, bool, error) {
	if m.f == nil {
		v, ok := m.mem[key]
		return v, ok, nil
	}
	h := hash(key)
	for at := m.head[h%Buckets]; at != 0; {
		off := at - 1
		n := int(min(int64(len(m.buf)), m.end-off))
		if off < m.flushed {
			n = int(min(int64(n), m.flushed-off))
		}
		if err := m.readAt(m.buf[:n], off); err != nil {
			return nil, false, err
		}
		next := int64(binary.LittleEndian.Uint64(m.buf[0:]))
		eh := binary.LittleEndian.Uint32(m.buf[8:])
		klen := int(binary.LittleEndian.Uint32(m.buf[12:]))
		vlen := int(int32(binary.LittleEndian.Uint32(m.buf[16:])))
		at = next
		if eh != h || klen != len(key) {
			continue
		}
		rest := m.buf[headerSize:n]
		if size := klen + max(vlen, 0); len(rest) < size {
			rest = make([]byte, size)
			if err := m.readAt(rest, off+headerSize); err != nil {
				return nil, false, err
			}
		}
		if string(rest[:klen]) != key {
			continue
		}
		if vlen < 0 {
			return nil, false, nil
		}
		return append([]byte(nil), rest[klen:klen+vlen]...), true, nil
	}
	return nil, false, nil
}
