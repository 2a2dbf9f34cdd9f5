package bench

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minio/minio-go/v7"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/importer"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/user"
	"github.com/ibutsu-go/ibutsu/pkg/wiring"
)

// Options configure a benchmark run.
type Options struct {
	Scale Scale
	// AdminDSN is a PostgreSQL DSN allowed to CREATE/DROP DATABASE.
	AdminDSN string
	// RedisURL is the broker the backend enqueues imports into.
	RedisURL string
	// Keep leaves the benchmark database in place (its DSN is reported).
	Keep bool
	// Log receives progress lines; the backend's own logs are discarded.
	Log *slog.Logger
	// Only, when not empty, selects scenarios by name (ingest, import,
	// query, widgets, triage, flaky, objstore, and fingerprints: ingest's
	// fingerprinting loads alone); the idle memory figure is always taken.
	Only map[string]bool
	// S3URL is the S3-compatible server of the objstore scenario
	// (http://ACCESS:SECRET@host:port); empty skips it.
	S3URL string
	// ExpensiveFilterTimeout, when set, replaces the backend's statement
	// timeout for regex and substring filters (EXPENSIVE_FILTER_TIMEOUT);
	// the package's test shortens it so that the guard fires at tiny.
	ExpensiveFilterTimeout time.Duration
	// NoCheckpoint leaves out the CHECKPOINT before each measured ingest
	// load (wal.go), to see what the checkpoint cycle does to the ratios.
	NoCheckpoint bool
}

// selected reports whether scenario name runs.
func (o Options) selected(name string) bool { return len(o.Only) == 0 || o.Only[name] }

// DefaultOptions reads the services from the environment: IBUTSU_BENCH_*
// first, then the test variables `make test` exports, then the local
// defaults (PostgreSQL and Redis on loopback).
func DefaultOptions() Options {
	return Options{
		AdminDSN: firstEnv("postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "IBUTSU_BENCH_DATABASE_URL", "IBUTSU_TEST_DATABASE_URL"),
		RedisURL: firstEnv("redis://127.0.0.1:6379/14", "IBUTSU_BENCH_REDIS_URL", "IBUTSU_TEST_REDIS_URL"),
		S3URL:    firstEnv("", "IBUTSU_BENCH_S3_ENDPOINT", "IBUTSU_TEST_S3_ENDPOINT"),
		Log:      slog.Default(),
	}
}

func firstEnv(def string, names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(os.Getenv(n)); v != "" {
			return v
		}
	}
	return def
}

// Env is a running benchmark backend: a fresh database, the backend
// serving on a loopback port, an asynq worker in the same process, a
// normal user who owns two projects, and a raw pgx pool on the same
// database for the limits.
type Env struct {
	opts   Options
	log    *slog.Logger
	DBName string
	DSN    string
	App    *backend.App
	Base   string
	HTTP   *http.Client
	// Raw is the limit's connection pool (20 connections, like the backend's).
	Raw   *pgxpool.Pool
	Token string
	// Ingest receives ingest and import data; Query holds the seeded data set.
	Ingest, Query uuid.UUID

	// bucket is the objstore scenario's bucket (nil: no S3 server), and
	// sdk the SDK's own client of its server, for the raw reads.
	bucket *objstore.Store
	sdk    *minio.Client
	// s3PID is the S3 server's process when it listens here (0: remote
	// or not found), whose CPU the objstore rows count.
	s3PID int

	stop    context.CancelFunc
	served  chan error
	workers chan error
	// fingerprinting is the switch the worker that runs the queued imports
	// was built with (the import scenario turns it off for a limit).
	fingerprinting *importer.Fingerprinting
	// walinspect is whether the benchmark database has pg_walinspect.
	walinspect bool
	// pgss is whether the benchmark database has pg_stat_statements.
	pgss bool
	// probe is the benchmark's own small pool for its probes during a
	// measured load (cost.go), apart from the limit's Raw pool.
	probe *pgxpool.Pool
	// postmaster is the local PostgreSQL cluster's pid (0: not local, so
	// no PostgreSQL CPU figures).
	postmaster int
}

// startWorker starts a worker in this process as cmd/worker does (without
// its health port), keeping its services; it runs until sctx ends, then
// reports on e.workers (at once when it could not start).
func (e *Env) startWorker(ctx, sctx context.Context, cfg *config.Config) error {
	e.fingerprinting = &importer.Fingerprinting{}
	p, err := wiring.StartProcess(ctx, "worker", cfg, quiet(), func(d *wiring.Deps) { d.Fingerprinting = e.fingerprinting })
	if err != nil {
		e.workers <- nil
		return fmt.Errorf("start worker: %w", err)
	}
	srv, mux := queue.NewServer(p.Redis, p.Services.Registry(), cfg.Tasks.Queue, cfg.Tasks.Concurrency, cfg.HTTP.ShutdownTimeout, quiet())
	if err := srv.Start(mux); err != nil {
		p.Close()
		e.workers <- nil
		return fmt.Errorf("start worker: %w", err)
	}
	go func() {
		<-sctx.Done()
		srv.Shutdown()
		p.Close()
		e.workers <- nil
	}()
	return nil
}

// quiet drops the backend's and worker's logs (they would drown the table).
func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}

// Start creates the database and starts everything.
func Start(ctx context.Context, opts Options) (*Env, error) {
	e := &Env{opts: opts, log: opts.Log, DBName: "ibutsu_bench_" + randomHex(6)}
	if err := e.createDB(ctx); err != nil {
		return nil, err
	}
	if err := e.start(ctx); err != nil {
		_ = e.Close() // the start error is the one to report
		return nil, err
	}
	return e, nil
}

func (e *Env) createDB(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, e.opts.AdminDSN)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL admin DSN: %w", err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+e.DBName); err != nil {
		return fmt.Errorf("create database %s: %w", e.DBName, err)
	}
	e.DSN, err = withDatabase(e.opts.AdminDSN, e.DBName)
	return err
}

// withDatabase swaps the database name in a URL or keyword DSN.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("parse DSN: %w", err)
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	var out []string
	for _, f := range strings.Fields(dsn) {
		if !strings.HasPrefix(f, "dbname=") {
			out = append(out, f)
		}
	}
	return strings.Join(append(out, "dbname="+name), " "), nil
}

func (e *Env) start(ctx context.Context) error {
	cfg, err := config.Load("")
	if err != nil {
		return fmt.Errorf("load config: %w", err)
	}
	dir, err := os.MkdirTemp("", "ibutsu-bench-")
	if err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	cfg.DataDir = dir
	cfg.Database.URL = e.DSN
	cfg.Redis.URL = e.opts.RedisURL
	cfg.Tasks.Queue = "bench-" + randomHex(4)
	cfg.JWT.Secret = randomHex(32)
	cfg.BcryptRounds = 4
	cfg.Superadmin = config.Superadmin{Email: "admin@bench.invalid", Password: randomHex(12), Name: "Bench admin"}
	cfg.HTTP.Host = "127.0.0.1"
	cfg.WorkerHealthPort = 0
	cfg.HTTP.ShutdownTimeout = 10 * time.Second
	// The live scenario opens sc.Streams streams as the one bench user:
	// the per-user and per-process caps protect a shared server, and
	// would refuse the load this scenario exists to measure.
	cfg.Live.StreamsPerUser, cfg.Live.StreamsTotal = 0, 0
	if e.opts.ExpensiveFilterTimeout > 0 {
		cfg.Limits.ExpensiveFilterTimeout = e.opts.ExpensiveFilterTimeout
	}
	if e.opts.selected("objstore") {
		oc, ok, err := objectStoreConfig(e.opts.S3URL)
		if err != nil {
			return err
		}
		if ok {
			if e.bucket, err = newBucket(ctx, oc); err != nil {
				return fmt.Errorf("object store bucket: %w", err)
			}
			if e.sdk, err = objstore.Client(oc); err != nil {
				return err
			}
			cfg.ObjectStore = oc
			e.s3PID = locateS3(oc.Endpoint)
		}
	}

	e.App, err = backend.New(ctx, cfg, quiet(), quiet())
	if err != nil {
		return fmt.Errorf("start backend: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	e.Base = "http://" + ln.Addr().String()
	sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	e.stop = stop
	e.served, e.workers = make(chan error, 1), make(chan error, 1)
	go func() { e.served <- e.App.Serve(sctx, ln) }()
	if err := e.startWorker(ctx, sctx, cfg); err != nil {
		return err
	}
	e.HTTP = &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{
		MaxIdleConns: 512, MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256, IdleConnTimeout: time.Minute}}

	pc, err := pgxpool.ParseConfig(e.DSN)
	if err != nil {
		return fmt.Errorf("parse DSN: %w", err)
	}
	pc.MaxConns = int32(cfg.Database.MaxOpenConns)
	if e.Raw, err = pgxpool.NewWithConfig(ctx, pc); err != nil {
		return fmt.Errorf("raw pool: %w", err)
	}
	if err := e.openProbe(ctx); err != nil {
		return err
	}
	e.locatePostgres(ctx)
	e.enableWALInspect(ctx)
	e.enableStatements(ctx)
	if err := e.login(ctx); err != nil {
		return err
	}
	if e.Ingest, err = e.createProject(ctx, "bench-ingest"); err != nil {
		return err
	}
	e.Query, err = e.createProject(ctx, "bench-query")
	return err
}

// login creates the normal user every request is made as (list pages are
// then scoped to its projects, as for a real user).
func (e *Env) login(ctx context.Context) error {
	hash, err := user.HashPassword(randomHex(8), 4)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	name := "bench"
	u := &model.User{Email: "bench@bench.invalid", Password: &hash, Name: &name, IsActive: true}
	if err := e.App.Users.Create(ctx, u); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	e.Token, err = e.App.Signer.IssueLogin(u.ID)
	if err != nil {
		return fmt.Errorf("issue token: %w", err)
	}
	return nil
}

func (e *Env) createProject(ctx context.Context, name string) (uuid.UUID, error) {
	var p struct {
		ID uuid.UUID `json:"id"`
	}
	body, _ := json.Marshal(map[string]any{"name": name, "title": name})
	if err := e.call(ctx, "POST", "/api/project", body, 201, &p); err != nil {
		return uuid.Nil, fmt.Errorf("create project: %w", err)
	}
	return p.ID, nil
}

// request sends one API request as the benchmark user and returns the
// status and body.
func (e *Env) request(ctx context.Context, method, path string, body []byte, ctype string) (int, []byte, error) {
	return e.requestURL(ctx, method, e.Base+path, body, ctype)
}

// requestURL is request to any URL (the bench's own bare servers).
func (e *Env) requestURL(ctx context.Context, method, target string, body []byte, ctype string) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+e.Token)
	if body != nil {
		if ctype == "" {
			ctype = "application/json"
		}
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := e.HTTP.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// call sends a JSON request, requires status want and decodes into out (if
// not nil).
func (e *Env) call(ctx context.Context, method, path string, body []byte, want int, out any) error {
	code, b, err := e.request(ctx, method, path, body, "")
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if code != want {
		return fmt.Errorf("%s %s: status %d (want %d): %.300s", method, path, code, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return nil
}

// versions returns the server versions for the report.
func (e *Env) versions(ctx context.Context) (pg, redis string) {
	pg = "?"
	if err := e.Raw.QueryRow(ctx, "SHOW server_version").Scan(&pg); err == nil {
		pg = strings.Fields(pg)[0]
	}
	return pg, redisVersion(ctx, e.opts.RedisURL)
}

// redisVersion asks INFO over a plain TCP connection (no client library
// needed for one line).
func redisVersion(ctx context.Context, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "6379")
	}
	var d net.Dialer
	dctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c, err := d.DialContext(dctx, "tcp", host)
	if err != nil {
		return "?"
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if pw, ok := u.User.Password(); ok {
		_, _ = fmt.Fprintf(c, "AUTH %s\r\n", pw)
	}
	_, _ = fmt.Fprintf(c, "INFO server\r\n")
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "redis_version:"); ok {
			return v
		}
	}
	return "?"
}

// Close stops the servers, closes the pools and drops the database unless
// Keep is set.
func (e *Env) Close() error {
	var errs []error
	if e.stop != nil {
		e.stop()
		errs = append(errs, <-e.served, <-e.workers)
	}
	if e.Raw != nil {
		e.Raw.Close()
	}
	if e.probe != nil {
		e.probe.Close()
	}
	if e.App != nil {
		errs = append(errs, e.App.Close())
		errs = append(errs, deleteQueue(e.App.Config.Redis.URL, e.App.Config.Tasks.Queue))
		errs = append(errs, os.RemoveAll(e.App.Config.DataDir))
	}
	if e.DSN != "" && !e.opts.Keep {
		errs = append(errs, e.dropDB())
	}
	if e.bucket != nil {
		errs = append(errs, dropBucket(context.Background(), e.bucket))
	}
	return errors.Join(errs...)
}

// deleteQueue removes the run's own asynq queue and its tasks, finished
// ones included, from the shared Redis (asynq keeps only its small
// processed/failed counters).
func deleteQueue(redisURL, name string) error {
	opt, err := queue.RedisConnOpt(redisURL)
	if err != nil {
		return err
	}
	in := asynq.NewInspector(opt)
	defer func() { _ = in.Close() }()
	queues, err := in.Queues()
	if err != nil {
		return fmt.Errorf("list queues: %w", err)
	}
	if !slices.Contains(queues, name) {
		return nil // nothing was ever queued (e.g. --only widgets)
	}
	if _, err := in.DeleteAllCompletedTasks(name); err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
		return fmt.Errorf("delete completed tasks of %s: %w", name, err)
	}
	if err := in.DeleteQueue(name, true); err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
		return fmt.Errorf("delete queue %s: %w", name, err)
	}
	return nil
}

func (e *Env) dropDB() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, e.opts.AdminDSN)
	if err != nil {
		return fmt.Errorf("drop database: %w", err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+e.DBName+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", e.DBName, err)
	}
	return nil
}
