package artifact

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// Service applies the artifact rules: an artifact is readable and
// deletable by whoever may access the project of the result or run it hangs
// on (superadmins: all; project-less targets: superadmins only).
type Service struct {
	store    store
	projects *project.Store
	maxFile  int64
	objects  *Objects
}

// NewService builds the service; maxFile is the upload cap (5 MiB upstream);
// objects is the object store for large artifacts (nil: none).
func NewService(d *db.DB, projects *project.Store, maxFile int64, objects *Objects) *Service {
	return &Service{store: store{db: d}, projects: projects, maxFile: maxFile, objects: objects}
}

// List returns a page of the artifacts u may see and their total.
func (s *Service) List(ctx context.Context, u *model.User, req ListRequest) ([]model.Artifact, int64, error) {
	q := listQuery{req: req, all: u.IsSuperadmin}
	if !u.IsSuperadmin {
		ids, err := s.projects.MemberProjectIDs(ctx, u)
		if err != nil {
			return nil, 0, err
		}
		q.projects = ids
	}
	return s.store.list(ctx, q)
}

// Validate applies the upload checks in upstream's order (docs/api-compatibility.md#endpoint-behaviour)
// and returns the artifact to store; the caller still sets its metadata
// (parsing it is the last check) and then calls Create.
func (s *Service) Validate(ctx context.Context, u *model.User, req UploadRequest) (*model.Artifact, error) {
	if !req.HasFile {
		return nil, apperr.BadRequest("Bad request, no file uploaded")
	}
	switch {
	case req.ResultID == nil && req.RunID == nil:
		return nil, apperr.BadRequest("Bad request, either resultId or runId must be provided")
	case req.ResultID != nil && req.RunID != nil:
		return nil, apperr.BadRequest("Bad request, cannot provide both resultId and runId")
	}
	if req.Filename == nil {
		return nil, apperr.BadRequest("Bad request, filename is required")
	}
	a := &model.Artifact{ID: uuid.New(), Filename: req.Filename, UploadDate: time.Now().UTC().Truncate(time.Microsecond)}
	kind, ref := "Result", req.ResultID
	if req.RunID != nil {
		kind, ref = "Run", req.RunID
	}
	id, err := uuid.Parse(*ref)
	if err != nil || len(*ref) != 36 {
		return nil, apperr.BadRequest("%s ID %s is not in UUID format", kind, *ref)
	}
	if req.RunID != nil {
		a.RunID = &id
	} else {
		a.ResultID = &id
	}
	projectID, found, err := s.store.targetProject(ctx, a.ResultID, a.RunID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, apperr.NotFound(fmt.Sprintf("%s ID %s not found", kind, id))
	}
	if err := s.projects.RequireAccess(ctx, u, projectID); err != nil {
		return nil, err
	}
	if req.TooLarge {
		return nil, apperr.BadRequest("Bad request, file size exceeds maximum allowed size of %dMB", s.maxFile/(1024*1024))
	}
	if len(req.File) == 0 && req.size == 0 {
		return nil, apperr.BadRequest("Bad request, uploaded file is empty")
	}
	a.Content = req.File
	a.Data = model.JSON{}
	return a, nil
}

// Create stores a validated artifact: in the object store when it reaches
// the threshold, otherwise in the database.
func (s *Service) Create(ctx context.Context, a *model.Artifact) error {
	row, err := s.objects.Offload(ctx, a)
	if err != nil {
		return s.objects.unavailable(err)
	}
	if row == nil {
		return s.store.create(ctx, a)
	}
	return s.store.createWithObject(ctx, a, row)
}

// Load fetches an artifact (with bytes when withContent) that u may access:
// 404 "Not Found" for an unknown id, 403 without access to the project of
// the result or run it hangs on (upstream only looks at the result and
// crashes for run artifacts).
func (s *Service) Load(ctx context.Context, u *model.User, id uuid.UUID, withContent bool) (*model.Artifact, error) {
	a, err := s.store.get(ctx, id, withContent)
	if err != nil {
		return nil, apperr.NotFoundIf(err, errNotFound, "Not Found")
	}
	projectID, _, err := s.store.targetProject(ctx, a.ResultID, a.RunID)
	if err != nil {
		return nil, err
	}
	return a, s.projects.RequireAccess(ctx, u, projectID)
}

// Delete removes an artifact u may access.
func (s *Service) Delete(ctx context.Context, u *model.User, id uuid.UUID) error {
	a, err := s.Load(ctx, u, id, false)
	if err != nil {
		return err
	}
	if err := s.store.delete(ctx, a.ID); err != nil {
		return err
	}
	s.objects.deleted(ctx, a.ID)
	return nil
}

// Object is where a loaded artifact's bytes are when the object store has
// them (nil: in the database).
func (s *Service) Object(ctx context.Context, id uuid.UUID) (*ObjectRow, error) {
	if s.objects != nil {
		return s.objects.source(ctx, id)
	}
	// Without a store configured, an artifact moved there earlier must not
	// be served as empty.
	row, err := s.store.objectRow(ctx, id)
	if err == nil && row != nil {
		return nil, apperr.Unavailable("Artifact %s is kept in the object store, which this server is not configured for", id)
	}
	return nil, err
}

// OpenObject reads a loaded artifact's object from offset off.
func (s *Service) OpenObject(ctx context.Context, row *ObjectRow, off int64) (io.ReadCloser, error) {
	r, err := s.objects.open(ctx, row, off)
	return r, s.objects.unavailable(err)
}

// Presign is a short-lived URL of the artifact's object, when redirects
// are configured (ok false otherwise).
func (s *Service) Presign(ctx context.Context, row *ObjectRow, filename string) (string, bool, error) {
	return s.objects.presign(ctx, row, filename)
}

// ContentSize is the byte count of an artifact the caller has loaded (and
// so passed Load's access check).
func (s *Service) ContentSize(ctx context.Context, id uuid.UUID) (int64, error) {
	return s.store.contentSize(ctx, id)
}

// Chunk reads n bytes of a loaded artifact from offset off, so downloads
// stream without holding the whole file.
func (s *Service) Chunk(ctx context.Context, id uuid.UUID, off, n int64) ([]byte, error) {
	return s.store.chunk(ctx, id, off, n)
}
