package wiring_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/artifact"
	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/flaky"
	"github.com/ibutsu-go/ibutsu/pkg/importer"
	"github.com/ibutsu-go/ibutsu/pkg/login"
	"github.com/ibutsu-go/ibutsu/pkg/maintenance"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/query"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/tasks"
	"github.com/ibutsu-go/ibutsu/pkg/webhook"
	"github.com/ibutsu-go/ibutsu/pkg/wiring"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func sqliteConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database.URL = ""
	cfg.Database.SQLitePath = filepath.Join(t.TempDir(), "ibutsu.db")
	return cfg
}

// TestOpenDBRegistersSQLiteRegexp: platform/db knows nothing of the filter
// language, so the REGEXP function behind `~` exists on SQLite only because
// OpenDB hands filter's registration in. Nothing else in this test binary
// registers it, so a plain db.Open here would fail the query.
func TestOpenDBRegistersSQLiteRegexp(t *testing.T) {
	cfg := sqliteConfig(t)
	d, err := wiring.OpenDB(context.Background(), cfg.Database, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	var n int
	if err := d.SQL.QueryRowContext(context.Background(), "SELECT 'abc' REGEXP 'b.$'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("REGEXP on SQLite: %d %v", n, err)
	}
}

// TestNewBuildsInOnePass: the queue is built once, from the registry New
// fills with every task type, and that queue is the one the services hold;
// a task enqueued right after New runs on it.
func TestNewBuildsInOnePass(t *testing.T) {
	ctx := context.Background()
	cfg := sqliteConfig(t)
	d, err := wiring.OpenDB(ctx, cfg.Database, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	if err := d.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
	var built []*queue.LocalQueue
	var reg *queue.Registry
	s, err := wiring.New(wiring.Deps{DB: d, Config: cfg, Log: quiet(), NewQueue: func(r *queue.Registry) (queue.Queue, error) {
		reg = r
		q := queue.NewLocalQueue(r, 1, quiet())
		built = append(built, q)
		return q, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	defer func() { _ = built[0].Close() }()
	if len(built) != 1 || s.Queue != queue.Queue(built[0]) || s.Registry() != reg {
		t.Fatalf("queue built %d times; services hold %v, registry shared: %v", len(built), s.Queue, s.Registry() == reg)
	}
	types := reg.Types()
	for _, want := range []string{tasks.TypePing, run.TypeUpdateRun, query.TypeQuery, importer.TypeJUnitImport, importer.TypeArchiveImport, importer.TypeImport,
		importer.TypeClearContent, login.TypeAccountMail, maintenance.TypePruneRuns, maintenance.TypeSyncRuns, fingerprint.TypeBackfill,
		webhook.TypeDeliver, webhook.TypeSweep, run.TypeFinishQuiet, flaky.TypeRefresh, artifact.TypeObjects} {
		if !slices.Contains(types, want) {
			t.Errorf("task type %s not registered: %v", want, types)
		}
	}
	if len(s.Schedule()) != len(maintenance.Schedule())+len(importer.Schedule())+len(fingerprint.Schedule())+len(webhook.Schedule())+len(run.Schedule())+len(flaky.Schedule())+len(artifact.Schedule()) {
		t.Errorf("schedule %v, want the maintenance, importer, fingerprint, webhook, run, flaky and artifact entries", s.Schedule())
	}
	id, err := s.Queue.Enqueue(ctx, tasks.TypePing, []byte(`{"message":"hi"}`))
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		st, err := s.Queue.Status(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		switch st.State {
		case queue.StateSuccess:
			return
		case queue.StateFailure:
			t.Fatalf("ping failed: %s", st.Error)
		}
	}
	t.Fatal("ping did not run")
}
