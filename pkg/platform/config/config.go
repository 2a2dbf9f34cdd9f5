// Package config builds the one typed Config every binary runs with.
//
// Settings come, lowest precedence first, from built-in defaults, an optional
// YAML file (path from --config or APP_CONFIG) and environment variables. The
// environment variable names are upstream Ibutsu's (PORT, POSTGRESQL_*,
// CELERY_BROKER_URL, JWT_SECRET, ...) so an existing deployment's secrets and
// templates work unchanged. Each Load uses its own viper instance: there is no
// package-level configuration state.
package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// ConfigFileEnv names the variable that may point at a YAML config file.
const ConfigFileEnv = "APP_CONFIG"

// Config is the effective configuration of a binary.
type Config struct {
	HTTP       HTTP
	Database   Database
	Redis      Redis
	JWT        JWT
	Superadmin Superadmin
	Log        Log
	Limits     Limits
	Tasks      Tasks
	// Mail is the SMTP server for registration and recovery e-mail.
	Mail Mail
	// OAuth configures the external login providers.
	OAuth OAuth
	// Widgets caps what one widget request may read.
	Widgets Widgets
	// Schedule times the periodic tasks, by upstream's entry name.
	Schedule Schedule
	// Webhooks configures outbound webhook deliveries.
	Webhooks Webhooks
	// Live configures the live event streams and run finishing.
	Live Live
	// ObjectStore keeps large artifacts in an S3-compatible store.
	ObjectStore ObjectStore

	// DataDir holds embedded-mode state: the SQLite file and a generated JWT secret.
	DataDir string
	// FrontendURL and BackendURL are what /api/health/info reports and what
	// e-mailed links point at.
	FrontendURL string
	BackendURL  string
	// UserLoginEnabled allows e-mail/password login for non-superadmins.
	UserLoginEnabled bool
	// BcryptRounds is the bcrypt cost for new password hashes.
	BcryptRounds int

	WorkerHealthPort    int
	SchedulerHealthPort int
	MonitorPort         int
	// MonitorBasicAuth is "user:password" protecting the monitor UI; empty means none.
	MonitorBasicAuth string
	// MonitorHost is the monitor's listen address; empty means loopback
	// unless MonitorBasicAuth is set (see monitor.ListenHost).
	MonitorHost string

	// LoginThrottle limits password guessing on POST /api/login.
	LoginThrottle LoginThrottle
	// CodeLifetime is how long an e-mailed activation or reset code works
	// (0: no expiry).
	CodeLifetime time.Duration

	// File is the config file that was read, if any.
	File string
	// effective holds every setting as text, secrets redacted, for logging.
	effective map[string]string
}

// Redacted returns every setting by key with secret values replaced, so the
// effective configuration can be logged at start-up without leaking secrets.
func (c *Config) Redacted() map[string]string { return c.effective }

// LoginThrottle limits failed logins within a sliding window; 0 disables a
// limit. No limit locks an account's owner out: failures from other
// addresses only slow the account down (see docs/security.md, "Accounts and
// login").
type LoginThrottle struct {
	// MaxPerEmail is the failures allowed per account from one client
	// address; past it that address gets 429 for that account.
	MaxPerEmail int
	// MaxPerIP is the failures allowed from one client address over all
	// accounts; past it that address gets 429.
	MaxPerIP int
	// MaxPerAccount is the failures per account from all addresses after
	// which every attempt on the account is answered late, the delay growing
	// with each further failure up to MaxDelay. It never refuses.
	MaxPerAccount int
	MaxDelay      time.Duration
	Window        time.Duration
}

// DefaultTrustedProxies are the peers whose X-Forwarded-For is believed by
// default: loopback and the private ranges, where routers and ingress
// controllers of OpenShift and Kubernetes live.
const DefaultTrustedProxies = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"

// HTTP configures the API server.
type HTTP struct {
	Host              string
	Port              int
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// ShutdownTimeout bounds how long in-flight requests may run after SIGTERM.
	ShutdownTimeout time.Duration
	// TrustedProxies lists CIDRs/IPs whose X-Forwarded-* headers are believed;
	// ["*"] trusts every peer, like upstream's gunicorn forwarded_allow_ips="*".
	TrustedProxies []string
}

// Addr is the listen address.
func (h HTTP) Addr() string { return fmt.Sprintf("%s:%d", h.Host, h.Port) }

// Database configures PostgreSQL, or the embedded SQLite file when no
// PostgreSQL is configured.
type Database struct {
	// URL is a full PostgreSQL DSN (postgres://...) or sqlite:///path.
	URL                                 string
	Host, Name, User, Password, SSLMode string
	Port                                int
	MaxOpenConns, MaxIdleConns          int
	ConnMaxLifetime, StatementTimeout   time.Duration
	// MigrateOnStart applies pending migrations when the backend starts.
	MigrateOnStart bool
	// SQLitePath is the embedded database file (embedded mode only).
	SQLitePath string
}

// Redis configures the task queue broker.
type Redis struct {
	// URL is the broker address; empty means tasks run in-process.
	URL string
}

// JWT configures token signing (HS256, compatible with upstream tokens).
type JWT struct {
	Secret   string
	Issuer   string
	Lifetime time.Duration
}

// Superadmin is the account bootstrapped at start-up
// (docs/api-compatibility.md#roles-and-the-bootstrap-superadmin).
type Superadmin struct {
	Email, Password, Name, OwnProject string
}

// Log configures the slog handler.
type Log struct {
	// Format is "json", "text" or "auto" (text on a terminal, else JSON).
	Format string
	Level  string
}

// Limits are request-size and paging limits.
type Limits struct {
	ArtifactMaxBytes       int64
	JSONBodyMaxBytes       int64
	MaxPageSize            int
	CountEstimateThreshold int
	// ImportMaxBytes caps an uploaded import file (POST /api/import).
	ImportMaxBytes int64
	// ArchiveMaxBytes caps the decompressed size of an imported archive
	// and ArchiveMaxEntries its member count: the gzip-bomb guards.
	ArchiveMaxBytes   int64
	ArchiveMaxEntries int
	// ExpensiveFilterTimeout is the statement timeout of list queries
	// with a regex or substring filter; ExpensiveFiltersPerUser and
	// ExpensiveFiltersTotal cap how many such requests run at once (per
	// user, and for everyone; 0 = no server-wide cap). See package costly.
	ExpensiveFilterTimeout  time.Duration
	ExpensiveFiltersPerUser int
	ExpensiveFiltersTotal   int
}

// Live configures the server-sent event streams (docs/notifications.md).
type Live struct {
	// QuietPeriod finishes a running run that had no result for this long.
	QuietPeriod time.Duration
	// Heartbeat is the interval of the comment lines that keep a stream open.
	Heartbeat time.Duration
	// ClientBuffer is how many events a client may lag before it is dropped.
	ClientBuffer int
	// Backlog is how many events per stream are kept for Last-Event-ID.
	Backlog int
	// TicketLifetime is how long a stream ticket may be used.
	TicketLifetime time.Duration
	// StreamsPerUser caps the streams one user (all their tokens and
	// tickets together) holds open on one backend process, and
	// StreamsTotal everyone's on that process (0: no cap): each open
	// stream costs a goroutine and a buffer. Both are per replica.
	StreamsPerUser int
	StreamsTotal   int
}

// Tasks configures background task execution.
type Tasks struct {
	Concurrency     int
	ResultRetention time.Duration
	Queue           string
}

// UsesPostgres reports whether a PostgreSQL server is configured; otherwise the
// embedded SQLite database is used.
func (d Database) UsesPostgres() bool {
	if d.URL != "" {
		return !strings.HasPrefix(d.URL, "sqlite:")
	}
	return d.Host != ""
}

// EmbeddedQueue reports whether tasks run in-process (no Redis configured).
func (c *Config) EmbeddedQueue() bool { return c.Redis.URL == "" }

// Load reads the configuration. path is the --config flag value (may be empty;
// then APP_CONFIG is consulted). Errors name the offending variable.
func Load(path string) (*Config, error) {
	v := viper.New()
	for _, k := range keys {
		v.SetDefault(k.name, k.def)
		if err := v.BindEnv(append([]string{k.name}, k.envs...)...); err != nil {
			return nil, fmt.Errorf("bind %s: %w", k.name, err)
		}
	}
	if path == "" {
		path = os.Getenv(ConfigFileEnv)
	}
	if path != "" {
		v.SetConfigFile(path)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			return nil, cfgErr("%s: cannot read config file %s: %v", ConfigFileEnv, path, err)
		}
	}
	p := parser{v: v}
	c := &Config{
		File: path,
		HTTP: HTTP{
			Host:              p.str("http.host"),
			Port:              p.port("http.port"),
			ReadHeaderTimeout: p.dur("http.read_header_timeout"),
			ReadTimeout:       p.dur("http.read_timeout"),
			WriteTimeout:      p.dur("http.write_timeout"),
			IdleTimeout:       p.dur("http.idle_timeout"),
			ShutdownTimeout:   p.dur("http.shutdown_timeout"),
			TrustedProxies:    p.list("http.trusted_proxies"),
		},
		Database: Database{
			URL:              p.str("database.url"),
			Host:             p.str("database.host"),
			Port:             p.port("database.port"),
			Name:             p.str("database.name"),
			User:             p.str("database.user"),
			Password:         p.str("database.password"),
			SSLMode:          p.str("database.sslmode"),
			MaxOpenConns:     p.posInt("database.max_open_conns"),
			MaxIdleConns:     p.nonNegInt("database.max_idle_conns"),
			ConnMaxLifetime:  p.dur("database.conn_max_lifetime"),
			StatementTimeout: p.dur("database.statement_timeout"),
			MigrateOnStart:   p.boolean("database.migrate_on_start"),
			SQLitePath:       p.str("database.sqlite_path"),
		},
		Redis: Redis{URL: p.redisURL("redis.url")},
		JWT: JWT{
			Secret:   p.str("jwt.secret"),
			Issuer:   p.str("jwt.issuer"),
			Lifetime: time.Duration(p.posInt("jwt.lifetime")) * time.Second,
		},
		Superadmin: Superadmin{
			Email:      p.str("superadmin.email"),
			Password:   p.str("superadmin.password"),
			Name:       p.str("superadmin.name"),
			OwnProject: p.str("superadmin.own_project"),
		},
		Log: Log{Format: p.oneOf("log.format", "auto", "json", "text"), Level: p.oneOf("log.level", "debug", "info", "warn", "error")},
		Limits: Limits{
			ArtifactMaxBytes:        int64(p.posInt("limits.artifact_max_bytes")),
			JSONBodyMaxBytes:        int64(p.posInt("limits.json_body_max_bytes")),
			MaxPageSize:             p.posInt("limits.max_page_size"),
			CountEstimateThreshold:  p.nonNegInt("limits.count_estimate_threshold"),
			ImportMaxBytes:          int64(p.posInt("limits.import_max_bytes")),
			ArchiveMaxBytes:         int64(p.posInt("limits.archive_max_bytes")),
			ArchiveMaxEntries:       p.posInt("limits.archive_max_entries"),
			ExpensiveFilterTimeout:  p.dur("limits.expensive_filter_timeout"),
			ExpensiveFiltersPerUser: p.posInt("limits.expensive_filters_per_user"),
			ExpensiveFiltersTotal:   p.nonNegInt("limits.expensive_filters_total"),
		},
		Tasks: Tasks{
			Concurrency:     p.posInt("tasks.concurrency"),
			ResultRetention: p.dur("tasks.result_retention"),
			Queue:           p.str("tasks.queue"),
		},
		Live: Live{
			QuietPeriod:    p.dur("live.quiet_period"),
			Heartbeat:      p.dur("live.heartbeat"),
			ClientBuffer:   p.posInt("live.client_buffer"),
			Backlog:        p.posInt("live.backlog"),
			TicketLifetime: p.dur("live.ticket_lifetime"),
			StreamsPerUser: p.nonNegInt("live.streams_per_user"),
			StreamsTotal:   p.nonNegInt("live.streams_total"),
		},
		LoginThrottle: LoginThrottle{
			MaxPerEmail:   p.nonNegInt("login.max_failures_per_email"),
			MaxPerIP:      p.nonNegInt("login.max_failures_per_ip"),
			Window:        p.dur("login.failure_window"),
			MaxPerAccount: p.nonNegInt("login.max_failures_per_account"),
			MaxDelay:      p.dur("login.max_delay"),
		},
		CodeLifetime:        p.dur("login.code_lifetime"),
		DataDir:             p.str("data_dir"),
		FrontendURL:         strings.TrimRight(p.str("frontend_url"), "/"),
		BackendURL:          strings.TrimRight(p.str("backend_url"), "/"),
		UserLoginEnabled:    p.boolean("user_login_enabled"),
		BcryptRounds:        p.bcryptCost("bcrypt_rounds"),
		WorkerHealthPort:    p.port("worker.health_port"),
		SchedulerHealthPort: p.port("scheduler.health_port"),
		MonitorPort:         p.port("monitor.port"),
		MonitorBasicAuth:    p.str("monitor.basic_auth"),
		MonitorHost:         p.str("monitor.host"),
		Mail:                p.mail(),
		OAuth:               p.oauth(),
		Widgets:             p.widgets(),
		Schedule:            p.schedule(),
		Webhooks:            p.webhooks(),
		ObjectStore:         p.objectStore(),
	}
	if p.err != nil {
		return nil, p.err
	}
	c.effective = make(map[string]string, len(keys))
	for _, k := range keys {
		val := p.str(k.name)
		if k.secret && val != "" {
			val = redact(val)
		}
		c.effective[k.name] = val
	}
	if c.BackendURL == "" {
		c.BackendURL = defaultBackendURL(c.HTTP)
		c.effective["backend_url"] = c.BackendURL
	}
	if c.Database.SQLitePath == "" {
		c.Database.SQLitePath = filepath.Join(c.DataDir, "ibutsu.db")
	}
	if strings.HasPrefix(c.Database.URL, "sqlite:") {
		c.Database.SQLitePath = sqlitePathFromURL(c.Database.URL)
	}
	if c.MonitorBasicAuth != "" && !strings.Contains(c.MonitorBasicAuth, ":") {
		return nil, cfgErr("%s: must be user:password", envNames("monitor.basic_auth"))
	}
	return c, nil
}

// Error is a configuration problem: a missing or malformed setting. Its
// message starts with the environment variable to fix; binaries print it as
// one line and exit with status 2.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func cfgErr(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// Require checks the settings a particular binary cannot run without and
// returns one error naming the missing variable.
func (c *Config) Require(binary string) error {
	switch binary {
	case "worker", "scheduler", "monitor":
		if c.Redis.URL == "" {
			return cfgErr("%s: a Redis URL is required by the %s", envNames("redis.url"), binary)
		}
	}
	if (binary == "worker" || binary == "scheduler") && !c.Database.UsesPostgres() {
		return cfgErr("%s: the %s needs the PostgreSQL database the backend uses", envNames("database.host"), binary)
	}
	if c.Database.UsesPostgres() && c.JWT.Secret == "" && binary == "backend" {
		return cfgErr("%s: required when PostgreSQL is configured (every backend replica must sign tokens with the same secret)", envNames("jwt.secret"))
	}
	return nil
}

// sqlitePathFromURL turns sqlite:///rel/path or sqlite:////abs/path into a path.
func sqlitePathFromURL(u string) string {
	p := strings.TrimPrefix(u, "sqlite:")
	p = strings.TrimPrefix(p, "//")
	if strings.HasPrefix(p, "//") { // sqlite:////abs → /abs
		return p[1:]
	}
	return strings.TrimPrefix(p, "/")
}

// envNames renders a key's environment variable names for error messages.
func envNames(name string) string {
	for _, k := range keys {
		if k.name == name {
			return strings.Join(k.envs, "/")
		}
	}
	return name
}

// parser reads typed values and remembers the first error, which names the
// environment variable so an operator knows what to fix.
type parser struct {
	v   *viper.Viper
	err error
}

func (p *parser) fail(name, format string, args ...any) {
	if p.err == nil {
		p.err = cfgErr("%s: %s", envNames(name), fmt.Sprintf(format, args...))
	}
}

func (p *parser) str(name string) string { return strings.TrimSpace(p.v.GetString(name)) }

func (p *parser) int(name string) (int, bool) {
	s := p.str(name)
	n, err := strconv.Atoi(s)
	if err != nil {
		p.fail(name, "must be an integer, got %q", s)
		return 0, false
	}
	return n, true
}

func (p *parser) posInt(name string) int {
	n, ok := p.int(name)
	if ok && n < 1 {
		p.fail(name, "must be at least 1, got %d", n)
	}
	return n
}

func (p *parser) nonNegInt(name string) int {
	n, ok := p.int(name)
	if ok && n < 0 {
		p.fail(name, "must not be negative, got %d", n)
	}
	return n
}

func (p *parser) port(name string) int {
	n, ok := p.int(name)
	if ok && (n < 1 || n > 65535) {
		p.fail(name, "must be a port number 1-65535, got %d", n)
	}
	return n
}

func (p *parser) bcryptCost(name string) int {
	n, ok := p.int(name)
	if ok && (n < 4 || n > 31) {
		p.fail(name, "must be a bcrypt cost 4-31, got %d", n)
	}
	return n
}

// dur accepts Go durations ("25s", "5m") and bare integers as seconds.
func (p *parser) dur(name string) time.Duration {
	s := p.str(name)
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		p.fail(name, "must be a duration like 25s or 5m, got %q", s)
	}
	return d
}

// boolean follows upstream: true iff the first character is y, t or 1.
func (p *parser) boolean(name string) bool {
	s := strings.ToLower(p.str(name))
	return s != "" && strings.ContainsRune("yt1", rune(s[0]))
}

func (p *parser) list(name string) []string {
	var out []string
	for _, part := range strings.Split(p.str(name), ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func (p *parser) oneOf(name string, allowed ...string) string {
	s := strings.ToLower(p.str(name))
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	p.fail(name, "must be one of %s, got %q", strings.Join(allowed, ", "), s)
	return allowed[0]
}

// redisURL validates the broker URL and adds the default port when missing:
// upstream templates use redis://:pw@redis.ns.svc without one.
func (p *parser) redisURL(name string) string {
	s := p.str(name)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Hostname() == "" {
		p.fail(name, "must be a redis://[:password@]host[:port][/db] URL")
		return ""
	}
	if u.Port() == "" {
		u.Host += ":6379"
	}
	return u.String()
}

// redact hides a secret; for URLs only the password part is hidden so the
// host stays visible in logs.
func redact(s string) string {
	if u, err := url.Parse(s); err == nil && u.Scheme != "" && u.Host != "" {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		return u.Redacted()
	}
	return "[redacted]"
}
