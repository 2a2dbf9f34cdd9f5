package artifact

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// form is a parsed artifact upload.
type form struct {
	fields   map[string]string
	file     []byte
	hasFile  bool
	tooLarge bool
}

// maxFieldBytes bounds each non-file form field.
const maxFieldBytes = 1 << 20

// readForm streams a multipart body: text fields are kept (bounded), the
// file is kept up to maxFile bytes and the rest of an oversized file is
// discarded without buffering, within an overall cap so a huge body cannot
// tie the server up.
func readForm(c *gin.Context, maxFile int64) (*form, error) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, apperr.Problem(http.StatusUnsupportedMediaType, "Invalid Content-type (%s), expected multipart/form-data", c.GetHeader("Content-Type"))
	}
	capBytes := 2*maxFile + 4*maxFieldBytes
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, capBytes)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, apperr.Problem(http.StatusBadRequest, "Malformed multipart body")
	}
	f := &form{fields: map[string]string{}}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, bodyError(err, capBytes)
		}
		name := part.FormName()
		if name == "file" {
			var buf bytes.Buffer
			// One allocation of the likely size instead of ReadAll's doublings.
			buf.Grow(int(min(max(c.Request.ContentLength, 0), maxFile+1)))
			_, err := buf.ReadFrom(io.LimitReader(part, maxFile+1))
			if err != nil {
				return nil, bodyError(err, capBytes)
			}
			b := buf.Bytes()
			if int64(len(b)) > maxFile {
				f.tooLarge = true
				if _, err := io.Copy(io.Discard, part); err != nil {
					return nil, bodyError(err, capBytes)
				}
				b = nil
			}
			f.file, f.hasFile = b, true
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return nil, bodyError(err, capBytes)
		}
		if len(b) > maxFieldBytes {
			return nil, apperr.Problem(http.StatusRequestEntityTooLarge, "Form field %s is too large", name)
		}
		if err := httpx.CheckFormField(name, string(b)); err != nil {
			return nil, err
		}
		f.fields[name] = string(b)
	}
}

func bodyError(err error, capBytes int64) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return apperr.Problem(http.StatusRequestEntityTooLarge, "Request body is larger than %d bytes", capBytes)
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
