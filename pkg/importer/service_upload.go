package importer

import (
	"context"
	"fmt"
	"io"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// ErrQueueUnavailable answers an upload whose task could not be queued
// (Redis down or unreachable); the handler adds a Retry-After.
var ErrQueueUnavailable = apperr.Unavailable("The task queue is unavailable; try again later").AsProblem()

// UnsupportedError is an upload no importer reads: 415 with the
// formats this server reads (upstream answers a bare
// "Unsupported Media Type").
type UnsupportedError struct{}

func (UnsupportedError) Error() string {
	return "Unsupported Media Type: the file is not a report this server reads. Supported formats: " + formatTitles()
}

// Formats are the supported formats, for the 415 body.
func (UnsupportedError) Formats() []FormatInfo { return Formats() }

var errUnsupported = UnsupportedError{}

// Upload is an upload's form, decoded and checked: the file's name and the
// optional fields upstream accepts.
type Upload struct {
	Filename string
	// Project is the form's project, checked by UploadProject; nil for none.
	Project *uuid.UUID
	// Metadata is the decoded metadata object; nil for none.
	Metadata map[string]any
	// Source is the form's source; "" for none.
	Source string
}

// NewImport is the pending import row of u's upload, not yet stored.
func (s *Service) NewImport(u *model.User, up Upload) *model.Import {
	data := model.JSON{"metadata": nil, uploaderKey: u.ID.String()}
	if up.Project != nil {
		data["project_id"] = up.Project.String()
	}
	if up.Metadata != nil {
		data["metadata"] = up.Metadata
	}
	if up.Source != "" {
		data["source"] = up.Source
	}
	status, format, name := StatusPending, "", up.Filename
	return &model.Import{ID: uuid.New(), Filename: &name, Format: &format, Status: &status, Data: data, Created: s.now()}
}

// Submit stores imp with its bytes from src and queues its task. The
// format is detected from the file's first bytes (formats.go) and recorded
// as the import's metadata.format. A file no importer reads is refused
// (errUnsupported) before anything is stored: upstream stores it and
// leaves it pending forever. When the task cannot
// be queued nothing would ever run the import, so it is taken back (the
// client's retry starts clean) and ErrQueueUnavailable returned.
func (s *Service) Submit(ctx context.Context, imp *model.Import, src func() (io.Reader, error)) error {
	r, err := src()
	if err != nil {
		return err
	}
	head, err := ingest.NewHead(r)
	if err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	f := detect(head, deref(imp.Filename))
	if f == nil {
		return errUnsupported
	}
	imp.Data[formatKey] = f.Name
	typ := f.task
	if r, err = src(); err != nil {
		return err
	}
	if err := s.store.create(ctx, imp, r); err != nil {
		return err
	}
	if err := s.enqueueImport(ctx, typ, imp.ID); err != nil {
		s.log.Error("import not queued; discarding it", "import_id", imp.ID, "error", err)
		if derr := s.store.discard(context.WithoutCancel(ctx), imp.ID); derr != nil {
			s.log.Error("could not discard the unqueued import", "import_id", imp.ID, "error", derr)
		}
		return ErrQueueUnavailable
	}
	return nil
}
