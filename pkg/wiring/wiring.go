// Package wiring is the composition root shared by the backend and the
// worker: it builds every domain service on one database so both processes
// run the same task handlers with the same dependencies.
package wiring

import (
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/importer"
	"github.com/ibutsu-go/ibutsu/pkg/importer/archive"
	"github.com/ibutsu-go/ibutsu/pkg/login"
	"github.com/ibutsu-go/ibutsu/pkg/mail"
	"github.com/ibutsu-go/ibutsu/pkg/maintenance"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/query"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/tasks"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// Services are the domain services of one process.
type Services struct {
	DB        *db.DB
	Config    *config.Config
	Log       *slog.Logger
	Users     *user.Store
	Projects  *project.Store
	Summaries *run.Summarizer
	Results   *result.Service
	Runs      *run.Service
	Queries   *query.Service
	Imports   *importer.Service
	Upkeep    *maintenance.Service
	// AccountMail queues and sends activation and password-reset e-mail.
	AccountMail *login.AccountMail
}

// New builds the services. Call SetQueue once the queue exists.
func New(d *db.DB, cfg *config.Config, log *slog.Logger) *Services {
	s := &Services{DB: d, Config: cfg, Log: log}
	s.Users = user.NewStore(d)
	s.Projects = project.NewStore(d)
	s.Summaries = run.NewSummarizer(d, nil, log)
	s.Results = result.NewService(d, s.Projects, s.Summaries, log)
	s.Runs = run.NewService(d, s.Projects, s.Summaries, log)
	s.Queries = query.NewService(s.Users, s.Results, s.Runs, cfg.Tasks.ResultRetention, log)
	s.Imports = importer.NewService(d, s.Projects, s.Summaries, importer.Limits{MaxFileBytes: cfg.Limits.ImportMaxBytes,
		Archive: archive.Limits{MaxEntries: cfg.Limits.ArchiveMaxEntries, MaxBytes: cfg.Limits.ArchiveMaxBytes}}, log)
	s.Upkeep = maintenance.NewService(d, s.Summaries, log)
	s.AccountMail = login.NewAccountMail(s.Users, cfg, mail.New(cfg.Mail, log), log)
	return s
}

// Registry registers every task type with its handler.
func (s *Services) Registry() *queue.Registry {
	reg := tasks.NewRegistry(tasks.Deps{Log: s.Log})
	s.Summaries.Register(reg)
	s.Queries.Register(reg)
	s.Imports.Register(reg)
	s.Upkeep.Register(reg)
	s.AccountMail.Register(reg)
	return reg
}

// Close stops the services' background workers (the result insert batcher),
// writing what is queued first.
func (s *Services) Close() { s.Results.Close() }

// SetQueue gives the services that enqueue tasks their queue.
func (s *Services) SetQueue(q queue.Queue) {
	s.Summaries.SetQueue(q)
	s.Queries.SetQueue(q)
	s.Imports.SetQueue(q)
	s.AccountMail.SetQueue(q)
}
