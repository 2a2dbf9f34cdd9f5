// Package importer turns uploaded test reports into runs, results and
// artifacts: POST /api/import stores the file in 1 MiB chunks and queues a
// task; the task reads the chunks back one at a time as a stream (JUnit XML
// token by token, Ibutsu archives member by member) and writes everything
// in one transaction (with COPY on PostgreSQL), so memory stays bounded
// whatever the file's size, an import either lands completely or not at
// all, and a retry never duplicates rows.
//
// http.go and http_upload.go read the upload; service*.go hold the rules
// (who may read or list an import, which project an upload may name, the
// import tasks and what a task may write); store*.go hold the SQL (the
// import rows, the chunks, COPY and the batched writer).
package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/artifact"
	"github.com/ibutsu-go/ibutsu/pkg/importer/archive"
	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/importer/junit"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/run"
)

// Task types, named after upstream's Celery tasks so asynqmon reads like Flower.
const (
	TypeJUnitImport   = "importers.run_junit_import"
	TypeArchiveImport = "importers.run_archive_import"
	TypeClearContent  = "db.clear_import_file_content"
)

// Import statuses (upstream's vocabulary).
const (
	StatusPending = "pending"
	StatusRunning = "running"
	StatusDone    = "done"
	StatusError   = "error"
)

// Limits bound uploads and archives.
type Limits struct {
	// MaxFileBytes caps an uploaded file.
	MaxFileBytes int64
	// Archive bounds what reading one archive may cost.
	Archive archive.Limits
	// MaxArtifactBytes caps every artifact an import stores (archive
	// members, tracebacks, captured output); larger ones are truncated
	// with a marker and listed in the import's metadata. 0 means 5 MiB.
	MaxArtifactBytes int64
}

// Service stores imports and runs the import tasks.
type Service struct {
	db        *db.DB
	store     store
	projects  *project.Store
	summaries *run.Summarizer
	queue     queue.Queue
	limits    Limits
	// objects takes artifacts at or above its threshold (nil: none).
	objects *artifact.Objects
	log     *slog.Logger
	now     func() time.Time
	// settled is told when an import ends (nil: nobody); see OnSettled.
	settled func(ctx context.Context, st Settlement) error
	// fingerprinting switches failure fingerprinting (nil: always on; see
	// WithFingerprinting).
	fingerprinting *Fingerprinting
}

// Fingerprinting is a switch for the fingerprinting and automatic
// classification of imported failures (docs/triage.md); its zero value is
// on. Whoever builds the Service may hand one in (WithFingerprinting) and
// turn it off for the imports that start afterwards. Only the benchmark
// does: the same import without it is the limit its cost is measured
// against.
type Fingerprinting struct{ off atomic.Bool }

// Turn switches fingerprinting on or off for the imports that start
// afterwards.
func (f *Fingerprinting) Turn(on bool) { f.off.Store(!on) }

// on reports whether imports fingerprint their failures (a nil switch: yes).
func (f *Fingerprinting) on() bool { return f == nil || !f.off.Load() }

// newWriter is a batched writer for one import; upsert re-points results
// that exist already (archives, written as they are read). Otherwise full
// batches are written in the background while src is read on; src's
// reads wait for them (the transaction has one connection).
func (s *Service) newWriter(upsert bool, src *content) *writer {
	w := newWriter(s.store.db, upsert, s.objects)
	w.triage.off = !s.fingerprinting.on()
	if !upsert {
		w.pipe = &pipe{}
		src.before = w.settle
	}
	return w
}

// Settlement is how an import ended.
type Settlement struct {
	ImportID  uuid.UUID
	ProjectID *uuid.UUID // the project the upload named, if any
	RunID     *uuid.UUID // the run a done import wrote
	Filename  string
	Failed    bool
	Error     string
}

// Option adjusts the Service when it is built.
type Option func(*Service)

// OnSettled has fn called when an import ends, done or failed: a failure
// in the transaction that records it, a success right after its commit.
// Its error is logged; it never changes the import's outcome.
func OnSettled(fn func(ctx context.Context, st Settlement) error) Option {
	return func(s *Service) { s.settled = fn }
}

// WithFingerprinting has the Service read sw before each import to know
// whether to fingerprint its failures (nil: always).
func WithFingerprinting(sw *Fingerprinting) Option {
	return func(s *Service) { s.fingerprinting = sw }
}

// settle tells the OnSettled function.
func (s *Service) settle(ctx context.Context, imp *model.Import, st Settlement) {
	if s.settled == nil {
		return
	}
	st.ImportID = imp.ID
	st.Filename = deref(imp.Filename)
	if pid, ok := projectOf(imp); ok {
		st.ProjectID = &pid
	}
	if err := s.settled(ctx, st); err != nil {
		s.log.Error("after the import ended", "import_id", imp.ID, "error", err)
	}
}

// NewService builds the service; q is the queue import tasks are submitted
// to; objects keeps large artifacts in the object store (nil: none).
func NewService(d *db.DB, q queue.Queue, projects *project.Store, summaries *run.Summarizer, limits Limits, objects *artifact.Objects, log *slog.Logger, opts ...Option) *Service {
	s := &Service{db: d, store: store{db: d}, queue: q, projects: projects, summaries: summaries, limits: limits, objects: objects, log: log,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Register adds the import tasks to a registry. Imports run in one
// transaction, so a retry after a transient failure starts clean.
func (s *Service) Register(reg *queue.Registry) {
	reg.Register(TypeJUnitImport, s.taskHandler(s.importJUnit), queue.MaxRetry(importRetries), queue.Timeout(importTimeout))
	reg.Register(TypeArchiveImport, s.taskHandler(s.importArchive), queue.MaxRetry(importRetries), queue.Timeout(importTimeout))
	reg.Register(TypeImport, s.taskHandler(s.importCases), queue.MaxRetry(importRetries), queue.Timeout(importTimeout))
	reg.Register(TypeRepairStuck, s.repairHandler, queue.MaxRetry(1), queue.Timeout(10*time.Minute))
	reg.Register(TypeClearContent, s.clearHandler, queue.MaxRetry(3), queue.Timeout(5*time.Minute), queue.Retention(24*time.Hour))
}

// importPayload is what an import task carries. `import_` is upstream's
// argument (the import's dict) and is accepted for manual triggers.
type importPayload struct {
	ImportID string `json:"import_id"`
	Import   *struct {
		ID string `json:"id"`
	} `json:"import_,omitempty"`
}

func parsePayload(payload []byte) (uuid.UUID, error) {
	_, id, err := queue.DecodeIDPayload("import", payload, func(p *importPayload) string {
		if p.ImportID == "" && p.Import != nil {
			return p.Import.ID
		}
		return p.ImportID
	})
	return id, err
}

// enqueueTimeout bounds one attempt to queue an import task.
const enqueueTimeout = 10 * time.Second

// enqueueImport submits the task for an import of the given type.
func (s *Service) enqueueImport(ctx context.Context, typ string, id uuid.UUID) error {
	payload, _ := json.Marshal(importPayload{ImportID: id.String()})
	// Bounded so an unreachable Redis answers the upload instead of hanging it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), enqueueTimeout)
	defer cancel()
	if _, err := s.queue.Enqueue(ctx, typ, payload); err != nil {
		return fmt.Errorf("enqueue %s: %w", typ, err)
	}
	return nil
}

// badInput marks an import failure caused by the file (or the form), not
// by the system: retrying cannot fix it and its text is shown to the user.
type badInput struct{ msg string }

func (e *badInput) Error() string { return e.msg }

func badInputf(format string, args ...any) error { return &badInput{msg: fmt.Sprintf(format, args...)} }

// userMessage returns the text to record on a failed import when err is
// the file's fault.
func userMessage(err error) (string, bool) {
	var bi *badInput
	var je *junit.Error
	var ie *ingest.Error
	switch {
	case errors.As(err, &ie):
		return ie.Error(), true
	case errors.As(err, &bi):
		return bi.msg, true
	case errors.As(err, &je):
		return je.Error(), true
	case errors.Is(err, archive.ErrInvalid):
		return err.Error(), true
	}
	return refusedValue(err)
}
