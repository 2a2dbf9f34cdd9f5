// Package wiring is the composition root shared by the backend, the worker
// and the scheduler: it builds every domain service on one database and one
// queue in a single pass, so all processes run the same task handlers with
// the same dependencies. It is the one place that knows every feature
// package; platform packages receive what they need from here (see OpenDB).
package wiring

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/artifact"
	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/flaky"
	"github.com/ibutsu-go/ibutsu/pkg/importer"
	"github.com/ibutsu-go/ibutsu/pkg/importer/archive"
	"github.com/ibutsu-go/ibutsu/pkg/login"
	"github.com/ibutsu-go/ibutsu/pkg/mail"
	"github.com/ibutsu-go/ibutsu/pkg/maintenance"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/events"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/quarantine"
	"github.com/ibutsu-go/ibutsu/pkg/query"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/tasks"
	"github.com/ibutsu-go/ibutsu/pkg/user"
	"github.com/ibutsu-go/ibutsu/pkg/webhook"
)

// Deps are everything the services are built from, known before the first
// service is constructed.
type Deps struct {
	DB     *db.DB
	Config *config.Config
	Log    *slog.Logger
	// Mailer delivers account e-mail; nil means mail.New(Config.Mail, Log).
	Mailer mail.Mailer
	// NewQueue builds the queue the services enqueue into. It receives the
	// registry New then fills with every task handler; nothing can be
	// enqueued before New returns, so a queue that reads the registry when
	// a task is enqueued or run (all of them) sees it complete.
	NewQueue func(*queue.Registry) (queue.Queue, error)
	// Fingerprinting switches the failure fingerprinting of imports; nil
	// means always on (only the benchmark switches it).
	Fingerprinting *importer.Fingerprinting
}

// Services are the domain services of one process.
type Services struct {
	DB        *db.DB
	Config    *config.Config
	Log       *slog.Logger
	Queue     queue.Queue
	Users     *user.Store
	Projects  *project.Store
	Summaries *run.Summarizer
	Results   *result.Service
	Runs      *run.Service
	Queries   *query.Service
	Imports   *importer.Service
	Upkeep    *maintenance.Service
	// Quarantine keeps the projects' quarantined tests and marks their failures.
	Quarantine *quarantine.Service
	// Flaky finds flaky tests and marks their results and runs.
	Flaky *flaky.Service
	// Objects keeps large artifacts in the object store; nil without one.
	Objects *artifact.Objects
	// Watcher imports pytest-ibutsu's archives from watched buckets; nil
	// without bindings.
	Watcher *importer.Watcher
	// AccountMail queues and sends activation and password-reset e-mail.
	AccountMail *login.AccountMail
	// Webhooks holds the webhook subscriptions and sends their deliveries.
	Webhooks *webhook.Service
	// Events is the live event bus (docs/notifications.md): runs, results
	// and imports publish on it, the event streams subscribe to it.
	Events *events.Bus

	registry *queue.Registry
}

// New builds the queue and the services on it, and registers every task
// handler, in one pass.
func New(d Deps) (*Services, error) {
	cfg, log := d.Config, d.Log
	reg := tasks.NewRegistry(tasks.Deps{Log: log})
	q, err := d.NewQueue(reg)
	if err != nil {
		return nil, fmt.Errorf("build task queue: %w", err)
	}
	mailer := d.Mailer
	if mailer == nil {
		mailer = mail.New(cfg.Mail, log)
	}
	s := &Services{DB: d.DB, Config: cfg, Log: log, Queue: q, registry: reg}
	bucket, err := objstore.New(cfg.ObjectStore)
	if err != nil {
		return nil, err
	}
	s.Objects = artifact.NewObjects(d.DB, bucket, cfg.ObjectStore, log)
	s.Users = user.NewStore(d.DB)
	s.Projects = project.NewStore(d.DB)
	s.Events = newBus(d.DB, cfg.Live, log)
	if s.Webhooks, err = webhook.NewService(d.DB, q, cfg.Webhooks, cfg.FrontendURL, log); err != nil {
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	s.Flaky = flaky.NewService(d.DB, s.Projects, log, flaky.OnTurnedFlaky(s.flakyTurned))
	s.Summaries = run.NewSummarizer(d.DB, q, log, run.OnSummarized(s.Webhooks.RunSummarized), run.AfterSummary(s.Flaky.RunSummarised),
		run.OnFinished(s.Webhooks.EmitRunFinished), run.WithEvents(s.Events, cfg.Live.QuietPeriod))
	s.Quarantine = quarantine.NewService(d.DB, s.Projects)
	// Compacts the count tables when ingest outpaces the periodic job.
	compactions := maintenance.NewCompactTrigger(d.DB, q, maintenance.DefaultCompactThreshold, maintenance.DefaultCompactEvery, log)
	s.Results = result.NewService(d.DB, s.Projects, s.Summaries, log, result.WithQuarantine(s.Quarantine), result.WithFlakyMarks(s.Flaky),
		result.AfterInsert(compactions.Wrote))
	s.Runs = run.NewService(d.DB, s.Projects, s.Summaries, log, run.WithQuarantine(s.Quarantine), run.WithFlakyMarks(s.Flaky))
	s.Queries = query.NewService(q, s.Users, s.Results, s.Runs, cfg.Tasks.ResultRetention, log)
	s.Imports = importer.NewService(d.DB, q, s.Projects, s.Summaries, importer.Limits{MaxFileBytes: cfg.Limits.ImportMaxBytes, MaxArtifactBytes: cfg.Limits.ArtifactMaxBytes,
		Archive: archive.Limits{MaxEntries: cfg.Limits.ArchiveMaxEntries, MaxBytes: cfg.Limits.ArchiveMaxBytes}}, s.Objects, log,
		importer.OnSettled(s.importSettled), importer.WithFingerprinting(d.Fingerprinting))
	s.Upkeep = maintenance.NewService(d.DB, s.Summaries, log)
	if len(cfg.ObjectStore.Watch) > 0 {
		server, err := objstore.Open(cfg.ObjectStore)
		if err != nil {
			return nil, err
		}
		s.Watcher = importer.NewWatcher(s.Imports, server, cfg.ObjectStore.Watch, log)
	}
	s.AccountMail = login.NewAccountMail(s.Users, cfg, mailer, q, log)

	s.Summaries.Register(reg)
	s.Queries.Register(reg)
	s.Imports.Register(reg)
	s.Upkeep.Register(reg)
	s.AccountMail.Register(reg)
	s.Objects.Register(reg)
	s.Watcher.Register(reg)
	fingerprint.RegisterBackfill(reg, d.DB, log)
	s.Webhooks.Register(reg)
	s.Flaky.Register(reg)
	return s, nil
}

// flakyTurned tells the webhooks that a test turned flaky.
func (s *Services) flakyTurned(ctx context.Context, t flaky.TestRow) error {
	reason := fmt.Sprintf("%d outcome flips and %d retries over %d runs", t.Flips, t.Retries, t.Runs)
	return s.Webhooks.EmitTestFlaky(ctx, webhook.FlakyTest{ProjectID: t.ProjectID, TestID: t.TestID, Reason: reason,
		Score: t.Score, Since: t.DetectedAt})
}

// importSettled tells the webhooks that an import ended.
func (s *Services) importSettled(ctx context.Context, st importer.Settlement) error {
	return s.Webhooks.ImportSettled(ctx, webhook.ImportEvent{ImportID: st.ImportID, ProjectID: st.ProjectID, RunID: st.RunID,
		Filename: st.Filename, Failed: st.Failed, Error: st.Error})
}

// Registry is the registry holding every task type with its handler (the
// one the queue was built on).
func (s *Services) Registry() *queue.Registry { return s.registry }

// Schedule is the configured periodic schedule: the entries the domain
// packages declare, with the specs and switches of config schedule.*.
func (s *Services) Schedule() []queue.Periodic {
	entries := append(append(append(append(append(append(maintenance.Schedule(), importer.Schedule()...), fingerprint.Schedule()...), webhook.Schedule()...), run.Schedule()...), flaky.Schedule()...), artifact.Schedule()...)
	if s.Watcher != nil {
		entries = append(entries, importer.WatchSchedule()...)
	}
	return tasks.Schedule(s.Config.Schedule, entries)
}

// Close stops the services' background workers (the result insert batcher,
// the event publisher), writing what is queued first.
func (s *Services) Close() {
	s.Results.Close()
	s.Events.Close()
}

// newBus builds the live event bus: NOTIFY fan-out between processes on
// PostgreSQL, in process on SQLite (the embedded mode is one process).
func newBus(d *db.DB, cfg config.Live, log *slog.Logger) *events.Bus {
	opt := events.Options{ClientBuffer: cfg.ClientBuffer, Backlog: cfg.Backlog}
	if d.Dialect == db.Postgres {
		return events.NewPostgres(d.SQL, d.PGConfig(), opt, log)
	}
	return events.NewLocal(opt, log)
}
