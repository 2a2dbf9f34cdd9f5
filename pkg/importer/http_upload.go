package importer

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// maxFieldBytes bounds each text field of the upload form.
const maxFieldBytes = 1 << 20

// upload is a parsed POST /api/import form. The file is spooled to a
// temporary file while it streams in, so an oversized upload is refused
// without ever being held in memory, and the form fields, which may come
// before or after the file, are all known before anything is stored.
type upload struct {
	fields   map[string]string
	filename string
	file     *os.File
	size     int64
}

// Close removes the spooled file.
func (u *upload) Close() {
	if u.file != nil {
		_ = u.file.Close()           // a spool file being thrown away: nothing to flush
		_ = os.Remove(u.file.Name()) // best effort; it lives in the temp dir
	}
}

// readUpload streams the multipart body; the caller must Close the result.
func readUpload(c *gin.Context, maxFile int64) (*upload, error) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, apperr.Problem(http.StatusUnsupportedMediaType, "Invalid Content-type (%s), expected multipart/form-data", c.GetHeader("Content-Type"))
	}
	capBytes := maxFile + 8*maxFieldBytes
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, capBytes)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, apperr.Problem(http.StatusBadRequest, "Malformed multipart body")
	}
	u := &upload{fields: map[string]string{}}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return u, nil
		}
		if err != nil {
			u.Close()
			return nil, bodyError(err, maxFile)
		}
		if part.FormName() == "importFile" && u.file == nil {
			if err := u.spool(part, maxFile); err != nil {
				u.Close()
				return nil, err
			}
			continue
		}
		v, err := httpx.ReadFormField(part, part.FormName(), maxFieldBytes, apperr.New, func(err error) error { return bodyError(err, maxFile) })
		if err != nil {
			u.Close()
			return nil, err
		}
		u.fields[part.FormName()] = v
	}
}

func (u *upload) spool(part io.Reader, maxFile int64) error {
	type named interface{ FileName() string }
	if p, ok := part.(named); ok {
		u.filename = p.FileName()
	}
	if err := httpx.CheckFormField("filename", u.filename); err != nil {
		return err
	}
	f, err := os.CreateTemp("", "ibutsu-import-*")
	if err != nil {
		return fmt.Errorf("spool upload: %w", err)
	}
	u.file = f
	n, err := io.Copy(f, io.LimitReader(part, maxFile+1))
	if err != nil {
		return bodyError(err, maxFile)
	}
	if n > maxFile {
		return tooLarge(maxFile)
	}
	u.size = n
	return nil
}

// reader rewinds the spooled file for one sequential read: it is stored
// in chunks as it is read, never held in memory whole.
func (u *upload) reader() (io.Reader, error) {
	if _, err := u.file.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read spooled upload: %w", err)
	}
	return io.LimitReader(u.file, u.size), nil
}

func tooLarge(maxFile int64) error {
	return apperr.New(http.StatusRequestEntityTooLarge, "Bad request, file size exceeds maximum allowed size of %d bytes", maxFile)
}

func bodyError(err error, maxFile int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(maxFile)
	}
	return apperr.Problem(http.StatusBadRequest, "Malformed multipart body: %s", strings.TrimSpace(err.Error()))
}
