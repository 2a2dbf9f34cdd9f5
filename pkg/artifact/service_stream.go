package artifact

import (
	"context"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// An upload whose file part is the last one and whose fields came first
// (what the usual clients send) is checked before its file arrives: the
// request's framing tells the file's size before its bytes. The file is
// then read straight from the body and goes to the object store as one
// signed payload, without passing through the multipart reader
// (docs/performance.md#object-storage).

// Prepare checks an upload whose file of size bytes is about to arrive,
// with the fields read so far, and returns the artifact it will become
// when its bytes go to the object store; nil when they would not (no
// store, under the threshold) or when a check fails — the handler then
// reads the file as usual and the full checks answer.
func (s *Service) Prepare(ctx context.Context, u *model.User, req UploadRequest, size int64) *model.Artifact {
	if !s.objects.wantsSize(size) || size > s.maxFile {
		return nil
	}
	req.HasFile, req.TooLarge, req.File, req.size = true, false, nil, size
	a, err := s.Validate(ctx, u, req)
	if err != nil {
		return nil
	}
	return a
}

// StoreObject sends b to the object of a prepared artifact.
func (s *Service) StoreObject(ctx context.Context, a *model.Artifact, b []byte) (*ObjectRow, error) {
	return s.objects.put(ctx, a.ID, b)
}

// CreateStored inserts a prepared artifact whose bytes are in the object
// store already.
func (s *Service) CreateStored(ctx context.Context, a *model.Artifact, row *ObjectRow) error {
	return s.store.createWithObject(ctx, a, row)
}

// DiscardObject deletes the object of an upload that did not go through;
// when the store does not answer, the reconciliation removes it later.
func (s *Service) DiscardObject(ctx context.Context, row *ObjectRow) {
	if err := s.objects.s.Delete(context.WithoutCancel(ctx), row.Key); err != nil {
		s.objects.log.Warn("object of a failed upload not deleted; the reconciliation will", "key", row.Key, "error", err)
	}
}
