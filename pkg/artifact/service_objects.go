package artifact

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
)

// Objects keeps artifact bytes in the S3-compatible object store
// (docs/operations.md#object-storage). The artifacts row keeps upstream's
// shape with content NULL, and ibutsu_artifact_objects says where the bytes
// are. A nil *Objects (no store configured) keeps everything in the
// database, as upstream does.
type Objects struct {
	s        *objstore.Store
	store    store
	cfg      config.ObjectStore
	log      *slog.Logger
	graceAge time.Duration
}

// NewObjects builds the artifact side of the object store; nil when s is.
func NewObjects(d *db.DB, s *objstore.Store, cfg config.ObjectStore, log *slog.Logger) *Objects {
	if s == nil {
		return nil
	}
	return &Objects{s: s, store: store{db: d}, cfg: cfg, log: log, graceAge: time.Hour}
}

// Store is the bucket the artifacts go to.
func (o *Objects) Store() *objstore.Store { return o.s }

// key is where an artifact's bytes go.
func (o *Objects) key(id uuid.UUID) string { return o.s.Prefix() + id.String() }

// wants reports whether n bytes go to the store.
func (o *Objects) wants(n int) bool { return o.wantsSize(int64(n)) }

// wantsSize reports whether n bytes go to the store.
func (o *Objects) wantsSize(n int64) bool { return o != nil && n >= o.cfg.Threshold && n > 0 }

// Offload puts a's bytes into the store when they reach the threshold:
// a.Content becomes nil and the returned row must be inserted with a (nil:
// a stays as it is). An object whose row never commits is removed by the
// reconciliation.
func (o *Objects) Offload(ctx context.Context, a *model.Artifact) (*ObjectRow, error) {
	if !o.wants(len(a.Content)) {
		return nil, nil
	}
	row, err := o.put(ctx, a.ID, a.Content)
	if err != nil {
		return nil, err
	}
	a.Content = nil
	return row, nil
}

// put stores b as the object of artifact id.
func (o *Objects) put(ctx context.Context, id uuid.UUID, b []byte) (*ObjectRow, error) {
	key := o.key(id)
	etag, err := o.s.PutBytes(ctx, key, b)
	if err != nil {
		return nil, err
	}
	return &ObjectRow{ArtifactID: id, Key: key, Size: int64(len(b)), ETag: etag}, nil
}

// forget deletes the object of a deleted artifact and then its row; on
// failure the row stays and the next sweep tries again.
func (o *Objects) forget(ctx context.Context, row ObjectRow) error {
	if err := o.s.Delete(ctx, row.Key); err != nil {
		return err
	}
	return o.store.dropObjectRow(ctx, row.ArtifactID)
}

// deleted removes the object of the artifact id just deleted, at once when
// the store answers; otherwise the periodic sweep does.
func (o *Objects) deleted(ctx context.Context, id uuid.UUID) {
	if o == nil {
		return
	}
	row, err := o.store.objectRow(ctx, id)
	if err != nil || row == nil {
		return
	}
	if err := o.forget(ctx, *row); err != nil {
		o.log.Warn("artifact object not deleted yet; the sweep will", "artifact_id", id, "error", err)
	}
}

// source is where a loaded artifact's bytes are: its object row, or nil.
func (o *Objects) source(ctx context.Context, id uuid.UUID) (*ObjectRow, error) {
	if o == nil {
		return nil, nil
	}
	return o.store.objectRow(ctx, id)
}

// open reads an artifact's object from offset off: from its start, over a
// connection of its own that a download can splice to its client
// (objstore.Stream) where the store allows it, otherwise through the SDK,
// which also answers when that connection fails for any reason but a
// missing object or bucket (the SDK retries, and follows what the store
// asks).
func (o *Objects) open(ctx context.Context, row *ObjectRow, off int64) (io.ReadCloser, error) {
	if off == 0 {
		st, ok, err := o.s.Stream(ctx, row.Key)
		if errors.Is(err, objstore.ErrNotFound) || errors.Is(err, objstore.ErrNoBucket) {
			return o.opened(nil, row, err)
		}
		if ok {
			return st, nil
		}
		if err != nil {
			o.log.Debug("object not streamed; reading it through the SDK", "key", row.Key, "error", err)
		}
	}
	r, err := o.s.Get(ctx, row.Key, off)
	return o.opened(r, row, err)
}

// opened names the artifact in the error of a missing object.
func (o *Objects) opened(r io.ReadCloser, row *ObjectRow, err error) (io.ReadCloser, error) {
	if errors.Is(err, objstore.ErrNotFound) {
		return nil, fmt.Errorf("artifact %s: object %s is missing: %w", row.ArtifactID, row.Key, err)
	}
	return r, err
}

// presign is a short-lived URL of the object when redirects are on.
func (o *Objects) presign(ctx context.Context, row *ObjectRow, filename string) (string, bool, error) {
	if !o.cfg.Redirect {
		return "", false, nil
	}
	u, err := o.s.PresignGet(ctx, row.Key, filename, o.cfg.RedirectLifetime)
	return u, err == nil, err
}
