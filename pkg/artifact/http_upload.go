package artifact

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// form is a parsed artifact upload.
type form struct {
	fields   map[string]string
	file     []byte
	hasFile  bool
	tooLarge bool
	// stored is set when the file went to the object store from the body:
	// prepared is then the artifact it becomes, with the object row.
	prepared *model.Artifact
	stored   *ObjectRow
	// release hands the file buffer back (after the artifact is stored).
	release func()
}

// maxFieldBytes bounds each non-file form field.
const maxFieldBytes = 1 << 20

// bodyBuffer is how much of the request body one read takes from the
// connection: the multipart reader asks for 4 KiB at a time, and a read
// system call per 4 KiB is most of the parsing cost of a large file.
const bodyBuffer = 64 << 10

// uploader reads one upload for the user u.
type uploader struct {
	ctx     context.Context
	u       *model.User
	svc     *Service
	bufs    *buffers
	maxFile int64
	length  int64 // the request's Content-Length (-1: not sent)
}

// readForm streams a multipart body: text fields are kept (bounded), the
// file is kept up to maxFile bytes and the rest of an oversized file is
// discarded without buffering, within an overall cap so a huge body cannot
// tie the server up. When the file is the last part and the fields came
// first, its size is known from the framing: it is read straight from
// the body and goes to the object store once the body has ended
// (service_stream.go).
func (up uploader) readForm(c *gin.Context) (*form, error) {
	mt, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, apperr.Problem(http.StatusUnsupportedMediaType, "Invalid Content-type (%s), expected multipart/form-data", c.GetHeader("Content-Type"))
	}
	boundary := params["boundary"]
	if boundary == "" {
		return nil, apperr.Problem(http.StatusBadRequest, "Malformed multipart body")
	}
	capBytes := 2*up.maxFile + 4*maxFieldBytes
	up.length = c.Request.ContentLength
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, capBytes)
	head := &framing{r: bufio.NewReaderSize(c.Request.Body, bodyBuffer), length: c.Request.ContentLength, boundary: boundary}
	mr := multipart.NewReader(head, boundary)
	f := &form{fields: map[string]string{}, release: func() {}}
	for parts := 0; ; parts++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			f.release()
			return nil, bodyError(err, capBytes)
		}
		name := part.FormName()
		if name == "file" {
			end, err := up.readFile(f, part, head, parts)
			if err != nil {
				f.release()
				return nil, bodyError(err, capBytes)
			}
			if end {
				return f, nil
			}
			continue
		}
		v, err := httpx.ReadFormField(part, name, maxFieldBytes, apperr.Problem, func(err error) error { return bodyError(err, capBytes) })
		if err != nil {
			f.release()
			return nil, err
		}
		f.fields[name] = v
	}
}

// readFile reads part k, the file: straight from the body to the object
// store when it is the last part of a body framed as head.lastPart expects and
// the fields read so far pass the checks (end: the body was read to its
// end), otherwise into a buffer of at most maxFile bytes.
func (up uploader) readFile(f *form, part io.Reader, head *framing, k int) (end bool, err error) {
	f.release()
	buf, release := up.bufs.get(up.maxFile+1, up.length)
	f.release, f.hasFile = release, true
	w := &fill{b: buf}
	if start, size := head.lastPart(k); f.stored == nil && size > 0 {
		if a := up.svc.Prepare(up.ctx, up.u, f.request(), size); a != nil {
			done, err := up.direct(f, a, head, start, size, w)
			if done || err != nil {
				return done, err
			}
		}
	}
	if err := w.readFrom(part, up.maxFile+1); err != nil {
		return false, err
	}
	if int64(len(w.b)) > up.maxFile {
		f.tooLarge = true
		if _, err := io.Copy(io.Discard, part); err != nil {
			return false, err
		}
		w.b = nil
	}
	f.file = w.b
	return false, nil
}

// direct reads the file straight from the body and sends it to the
// object of a prepared artifact (sendDirect): done when the object holds
// exactly the part's bytes and the body has ended. Otherwise no object was
// written, the multipart reader reads the part again and err is the
// body's own read error, if any.
func (up uploader) direct(f *form, a *model.Artifact, head *framing, start, size int64, w *fill) (done bool, err error) {
	var row *ObjectRow
	failed := false
	done, err = sendDirect(head, start, size, w, func(b []byte) error {
		var perr error
		row, perr = up.svc.StoreObject(up.ctx, a, b)
		failed = perr != nil
		return perr
	})
	if done {
		f.prepared, f.stored = a, row
		return true, nil
	}
	if failed {
		// The HTTP client may still read the buffer after a failed put:
		// the file is read again into a new one, and this one is left to
		// the GC, not handed back to the pool.
		w.b, f.release = nil, func() {}
	}
	return false, err
}

// fill is the file buffer being filled.
type fill struct{ b []byte }

// readFrom appends up to limit bytes in all from r.
func (w *fill) readFrom(r io.Reader, limit int64) error {
	for int64(len(w.b)) < limit {
		if len(w.b) == cap(w.b) {
			w.b = append(w.b, 0)[:len(w.b)]
		}
		end := min(int64(cap(w.b)), limit)
		n, err := r.Read(w.b[len(w.b):end])
		w.b = w.b[:len(w.b)+n]
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func bodyError(err error, capBytes int64) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return apperr.Problem(http.StatusRequestEntityTooLarge, "Request body is larger than %d bytes", capBytes)
	}
	var problem *apperr.Error
	if errors.As(err, &problem) {
		return err
	}
	return apperr.Problem(http.StatusBadRequest, "Malformed multipart body: %s", strings.TrimSpace(fmt.Sprint(err)))
}

// field returns the first present of the given names (camelCase preferred,
// snake_case legacy aliases).
func (f *form) field(names ...string) (string, bool) {
	for _, n := range names {
		if v, ok := f.fields[n]; ok && v != "" {
			return v, true
		}
	}
	return "", false
}

// request is the form as the service reads it: each reference and the
// filename nil unless sent non-empty.
func (f *form) request() UploadRequest {
	opt := func(names ...string) *string {
		if v, ok := f.field(names...); ok {
			return &v
		}
		return nil
	}
	return UploadRequest{HasFile: f.hasFile, TooLarge: f.tooLarge, File: f.file,
		ResultID: opt("resultId", "result_id"), RunID: opt("runId", "run_id"), Filename: opt("filename")}
}
