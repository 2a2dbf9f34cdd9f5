package importer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// TypeS3Watch is the periodic task that imports the archives pytest-ibutsu's
// S3 mode (`--ibutsu s3`) uploads (docs/operations.md#s3-watcher).
const TypeS3Watch = "importers.s3_watch"

// watchProjectsKey is the key of an import's data holding the projects a
// watched bucket bound to several projects may write to.
const watchProjectsKey = "watch_projects"

// Watcher imports every new archive of its bucket bindings once, by key and
// ETag, through the archive importer, as if a member of the bound project
// had uploaded it.
type Watcher struct {
	imports  *Service
	s3       *objstore.Store
	bindings []config.WatchBinding
	log      *slog.Logger
}

// NewWatcher builds the watcher; nil without bindings.
func NewWatcher(imports *Service, s3 *objstore.Store, bindings []config.WatchBinding, log *slog.Logger) *Watcher {
	if len(bindings) == 0 || s3 == nil {
		return nil
	}
	return &Watcher{imports: imports, s3: s3, bindings: bindings, log: log}
}

// Register adds the watch task (a nil watcher registers a no-op, so a
// queued task from another configuration finds a handler).
func (w *Watcher) Register(reg *queue.Registry) {
	reg.Register(TypeS3Watch, queue.Report(w != nil, w.Run), queue.MaxRetry(1), queue.Timeout(30*time.Minute), queue.Retention(time.Hour))
}

// WatchSchedule is the watcher's periodic entry (config schedule.s3_watch).
func WatchSchedule() []queue.Periodic {
	return []queue.Periodic{{Name: "s3-watch", Spec: "@every 1m", Type: TypeS3Watch}}
}

// WatchReport is what one pass found, by bucket.
type WatchReport struct {
	Submitted []string `json:"submitted"`
	Seen      int      `json:"seen"`
	Errors    []string `json:"errors,omitempty"`
}

// Run makes one pass over every binding.
func (w *Watcher) Run(ctx context.Context) (WatchReport, error) {
	rep := WatchReport{Submitted: []string{}}
	for _, b := range w.bindings {
		if err := w.watch(ctx, b, &rep); err != nil {
			w.log.Warn("s3 watch failed", "bucket", b.Bucket, "prefix", b.Prefix, "error", err)
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s/%s: %v", b.Bucket, b.Prefix, err))
		}
	}
	return rep, nil
}

// watch imports the new archives of one binding. The plugin names an
// archive after its run id (<run-uuid>.tar.gz) and uploads it with that
// name as the key; any *.tar.gz under the prefix is taken.
func (w *Watcher) watch(ctx context.Context, b config.WatchBinding, rep *WatchReport) error {
	projects := make([]uuid.UUID, 0, len(b.Projects))
	for _, ref := range b.Projects {
		p, err := w.imports.projects.Resolve(ctx, ref)
		if err != nil {
			return fmt.Errorf("bound project %q: %w", ref, err)
		}
		projects = append(projects, p.ID)
	}
	bucket := w.s3.Bucket(b.Bucket, b.Prefix)
	// The listing is checked against what was imported a page at a time.
	var page []objstore.Object
	flush := func() error {
		if len(page) == 0 {
			return nil
		}
		keys := make([]string, len(page))
		for i, o := range page {
			keys[i] = o.Key
		}
		seen, err := w.imports.store.s3Seen(ctx, b.Bucket, keys)
		if err != nil {
			return err
		}
		for _, o := range page {
			if seen[o.Key+"\x00"+o.ETag] {
				rep.Seen++
				continue
			}
			taken, err := w.submit(ctx, bucket, o, projects)
			if err != nil {
				w.log.Warn("s3 archive not imported", "bucket", b.Bucket, "key", o.Key, "error", err)
				rep.Errors = append(rep.Errors, fmt.Sprintf("%s/%s: %v", b.Bucket, o.Key, err))
				continue
			}
			if !taken { // another scheduler's pass took it meanwhile
				rep.Seen++
				continue
			}
			rep.Submitted = append(rep.Submitted, b.Bucket+"/"+o.Key)
		}
		page = page[:0]
		return nil
	}
	err := bucket.List(ctx, "", func(o objstore.Object) error {
		if !strings.HasSuffix(o.Key, ".tar.gz") {
			return nil
		}
		page = append(page, o)
		if len(page) < watchPage {
			return nil
		}
		return flush()
	})
	if err != nil {
		return err
	}
	return flush()
}

// watchPage is how many listed archives one lookup checks.
const watchPage = 500

// submit claims the archive and queues its import like an upload: the
// import row records the bucket and key as its source; without an uploader
// it may write only into the bound project(s). taken is false when another
// pass claimed it first.
func (w *Watcher) submit(ctx context.Context, bucket *objstore.Store, o objstore.Object, projects []uuid.UUID) (taken bool, err error) {
	s := w.imports
	name := o.Key[strings.LastIndex(o.Key, "/")+1:]
	status, format := StatusPending, ""
	data := model.JSON{"metadata": nil, "source_object": "s3://" + bucket.Name() + "/" + o.Key, "etag": o.ETag}
	if len(projects) == 1 {
		data["project_id"] = projects[0].String()
	} else {
		ids := make([]any, len(projects))
		for i, p := range projects {
			ids[i] = p.String()
		}
		data[watchProjectsKey] = ids
	}
	imp := &model.Import{ID: uuid.New(), Filename: &name, Format: &format, Status: &status, Data: data, Created: s.now()}
	claim := s3Import{Bucket: bucket.Name(), Key: o.Key, ETag: o.ETag, ImportID: &imp.ID}
	ok, err := s.store.claimS3(ctx, claim)
	if err != nil || !ok {
		return false, err
	}
	// Submit reads the archive twice (its head to detect the format, then
	// all of it), so each read gets its own GET.
	var opened []io.Closer
	err = s.Submit(ctx, imp, func() (io.Reader, error) {
		r, err := bucket.Get(ctx, o.Key, 0)
		if err != nil {
			return nil, err
		}
		opened = append(opened, r)
		return r, nil
	})
	for _, r := range opened {
		_ = r.Close()
	}
	if err != nil {
		if rerr := s.store.releaseS3(context.WithoutCancel(ctx), claim); rerr != nil {
			w.log.Error("s3 claim not released", "key", o.Key, "error", rerr)
		}
		return false, err
	}
	return true, nil
}
