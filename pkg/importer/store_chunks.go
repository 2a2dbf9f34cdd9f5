package importer

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// chunkTable holds uploaded files in pieces (migration 00004), so neither
// the upload nor the import ever holds a whole file in memory. The file's
// import_files row keeps content NULL.
const chunkTable = "ibutsu_import_chunks"

// chunkSize is the size of every stored chunk but the last: large enough
// that a 500 MB file is 500 rows, small enough that one in memory is cheap.
const chunkSize = 1 << 20

// storeChunks writes src into fileID's chunks, one chunk in memory at a
// time, and returns the byte count. An empty src is stored as one empty
// chunk, so a chunked file always has chunk 0 (and a file without chunks
// and content is one whose bytes were cleared).
func (st store) storeChunks(ctx context.Context, fileID uuid.UUID, src io.Reader) (int64, error) {
	buf := make([]byte, chunkSize)
	var total int64
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(src, buf)
		last := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !last {
			return total, fmt.Errorf("read upload: %w", err)
		}
		if n > 0 || seq == 0 {
			if _, err := st.pool(ctx).ExecContext(ctx, st.bind("INSERT INTO "+chunkTable+" (file_id, seq, data) VALUES (?, ?, ?)"),
				fileID, seq, buf[:n]); err != nil {
				return total, fmt.Errorf("store import chunk %d: %w", seq, err)
			}
			total += int64(n)
		}
		if last {
			return total, nil
		}
	}
}

// content is an import's stored bytes, readable any number of times inside
// the transaction of the import (archives are read in several passes).
type content struct {
	st     store
	fileID uuid.UUID
	// chunks is the number of chunks; 0 means the bytes are upstream's
	// single import_files.content value (an adopted database's file).
	chunks int
	// before, when set, runs before every read of the database: the
	// import's writer uses the same connection in the background.
	before func() error
}

// ready runs before.
func (c *content) ready() error {
	if c.before == nil {
		return nil
	}
	return c.before()
}

// findContent locates an import's bytes; found is false when the file row
// is gone or its bytes were already cleared.
func (st store) findContent(ctx context.Context, importID uuid.UUID) (*content, bool, error) {
	var f struct {
		ID         uuid.UUID
		HasContent bool
		Chunks     int
	}
	err := st.db.Conn(ctx).Raw("SELECT f.id, f.content IS NOT NULL AS has_content,"+
		" (SELECT count(*) FROM "+chunkTable+" c WHERE c.file_id = f.id) AS chunks"+
		" FROM import_files f WHERE f.import_id = ? ORDER BY f.id LIMIT 1", importID).Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find import file: %w", err)
	}
	if !f.HasContent && f.Chunks == 0 {
		return nil, false, nil
	}
	c := &content{st: st, fileID: f.ID}
	if !f.HasContent {
		c.chunks = f.Chunks
	}
	return c, true, nil
}

// open starts one sequential read of the bytes with ctx's connection (the
// import's transaction). Chunked bytes are fetched one chunk at a time;
// upstream's single value is loaded whole, as upstream stored it.
func (c *content) open(ctx context.Context) (*stream, error) {
	if c.chunks > 0 {
		return &stream{r: &chunkReader{ctx: ctx, c: c}}, nil
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	var f model.ImportFile
	if err := c.st.db.Conn(ctx).Where("id = ?", c.fileID).Take(&f).Error; err != nil {
		return nil, fmt.Errorf("load import file: %w", err)
	}
	return &stream{r: bytes.NewReader(f.Content)}, nil
}

// stream is one read of stored bytes. The parsers report any read error
// as a malformed file; stream remembers it so the importer can tell a
// failing database (retry) from a bad file (no retry).
type stream struct {
	r   io.Reader
	err error
}

func (s *stream) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && s.err == nil {
		s.err = err
	}
	return n, err
}

// cause returns the read failure behind err, if reading failed, else err.
func (s *stream) cause(err error) error {
	if err != nil && s.err != nil {
		return s.err
	}
	return err
}

// chunkReader reads a chunked file in order, holding one chunk.
type chunkReader struct {
	ctx context.Context
	c   *content
	buf []byte
	off int
	seq int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for r.off == len(r.buf) {
		if r.seq == r.c.chunks {
			return 0, io.EOF
		}
		if err := r.fetch(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

// fetch replaces the held chunk with the next one, reusing its buffer.
func (r *chunkReader) fetch() error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if err := r.c.ready(); err != nil {
		return err
	}
	st := r.c.st
	rows, err := st.pool(r.ctx).QueryContext(r.ctx, st.bind("SELECT data FROM "+chunkTable+" WHERE file_id = ? AND seq = ?"), r.c.fileID, r.seq)
	if err != nil {
		return fmt.Errorf("read import chunk %d: %w", r.seq, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read import chunk %d: %w", r.seq, err)
		}
		return fmt.Errorf("read import chunk %d of %d: missing", r.seq, r.c.chunks)
	}
	var raw sql.RawBytes
	if err := rows.Scan(&raw); err != nil {
		return fmt.Errorf("read import chunk %d: %w", r.seq, err)
	}
	r.buf, r.off = append(r.buf[:0], raw...), 0
	r.seq++
	return rows.Close()
}

// pool is ctx's connection (its transaction, if any) without GORM: GORM's
// logger renders every statement with its arguments into a string, which
// for a chunk is megabytes of garbage per statement.
func (st store) pool(ctx context.Context) gorm.ConnPool {
	return st.db.Conn(ctx).Statement.ConnPool
}

// bind turns the ? placeholders of q into the dialect's ($1, $2... on
// PostgreSQL). q must not hold a literal "?".
func (st store) bind(q string) string {
	if st.db.Dialect != db.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
