package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ibutsu.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaults(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Port != 8080 || c.Database.UsesPostgres() || !c.EmbeddedQueue() {
		t.Fatalf("unexpected defaults: port=%d pg=%v embedded=%v", c.HTTP.Port, c.Database.UsesPostgres(), c.EmbeddedQueue())
	}
	if c.Database.StatementTimeout != 25*time.Second || c.JWT.Lifetime != 2592000*time.Second {
		t.Fatalf("timeouts: %v %v", c.Database.StatementTimeout, c.JWT.Lifetime)
	}
	if c.Limits.ArtifactMaxBytes != 5*1024*1024 || c.JWT.Issuer != "org.ibutsu-project.server" {
		t.Fatalf("limits/issuer: %d %s", c.Limits.ArtifactMaxBytes, c.JWT.Issuer)
	}
	if c.Database.SQLitePath != filepath.Join("var", "ibutsu.db") {
		t.Fatalf("sqlite path %q", c.Database.SQLitePath)
	}
}

func TestPrecedenceFileThenEnv(t *testing.T) {
	path := writeFile(t, "http:\n  port: 9000\ndatabase:\n  host: db.example\n  name: fromfile\nfrontend_url: http://ui.example/\n")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Port != 9000 || c.Database.Host != "db.example" || c.Database.Name != "fromfile" {
		t.Fatalf("file not applied: %+v", c.Database)
	}
	if c.FrontendURL != "http://ui.example" {
		t.Fatalf("trailing slash kept: %q", c.FrontendURL)
	}
	t.Setenv("PORT", "9100")
	t.Setenv("POSTGRES_DB", "fromenv")
	c, err = Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Port != 9100 || c.Database.Name != "fromenv" {
		t.Fatalf("env must beat file: port=%d name=%s", c.HTTP.Port, c.Database.Name)
	}
}

func TestConfigFileFromEnv(t *testing.T) {
	t.Setenv(ConfigFileEnv, writeFile(t, "jwt:\n  issuer: custom\n"))
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if c.JWT.Issuer != "custom" {
		t.Fatalf("APP_CONFIG not read: %q", c.JWT.Issuer)
	}
}

func TestUpstreamNamesPreferredOrder(t *testing.T) {
	t.Setenv("CELERY_BROKER_URL", "redis://:pw@redis.ns.svc")
	t.Setenv("POSTGRESQL_HOST", "pg")
	t.Setenv("JWT_SECRET", "s3cret")
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if c.Redis.URL != "redis://:pw@redis.ns.svc:6379" {
		t.Fatalf("default redis port not added: %q", c.Redis.URL)
	}
	if !c.Database.UsesPostgres() {
		t.Fatal("POSTGRESQL_HOST must select PostgreSQL")
	}
	red := c.Redacted()
	if strings.Contains(red["redis.url"], "pw") || red["jwt.secret"] == "s3cret" {
		t.Fatalf("secrets leaked: %v", red)
	}
	if !strings.Contains(red["redis.url"], "redis.ns.svc") {
		t.Fatalf("host should stay visible: %q", red["redis.url"])
	}
	for _, bin := range []string{"backend", "worker", "scheduler", "monitor"} {
		if err := c.Require(bin); err != nil {
			t.Fatalf("%s: %v", bin, err)
		}
	}
}

func TestErrorsNameTheVariable(t *testing.T) {
	cases := []struct{ env, val, want string }{
		{"PORT", "abc", "PORT"},
		{"PORT", "70000", "PORT"},
		{"DB_STATEMENT_TIMEOUT", "soon", "DB_STATEMENT_TIMEOUT"},
		{"REDIS_URL", "http://x", "REDIS_URL/CELERY_BROKER_URL"},
		{"LOG_FORMAT", "xml", "LOG_FORMAT"},
		{"BCRYPT_LOG_ROUNDS", "2", "BCRYPT_LOG_ROUNDS"},
		{"MONITOR_BASIC_AUTH", "nopassword", "MONITOR_BASIC_AUTH/FLOWER_BASIC_AUTH"},
	}
	for _, tc := range cases {
		t.Run(tc.env+"="+tc.val, func(t *testing.T) {
			t.Setenv(tc.env, tc.val)
			_, err := Load("")
			if err == nil || !strings.HasPrefix(err.Error(), tc.want+":") {
				t.Fatalf("want error naming %s, got %v", tc.want, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error must be one line: %q", err)
			}
		})
	}
}

func TestMissingConfigFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || !strings.HasPrefix(err.Error(), ConfigFileEnv) {
		t.Fatalf("want APP_CONFIG error, got %v", err)
	}
}

func TestRequire(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Require("backend"); err != nil {
		t.Fatalf("embedded backend needs nothing: %v", err)
	}
	for _, bin := range []string{"worker", "scheduler", "monitor"} {
		err := c.Require(bin)
		if err == nil || !strings.Contains(err.Error(), "CELERY_BROKER_URL") {
			t.Fatalf("%s without Redis: %v", bin, err)
		}
	}
	t.Setenv("POSTGRESQL_HOST", "pg")
	c, err = Load("")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Require("backend"); err == nil || !strings.HasPrefix(err.Error(), "JWT_SECRET") {
		t.Fatalf("backend on PostgreSQL without JWT_SECRET: %v", err)
	}
}

func TestSQLiteURL(t *testing.T) {
	t.Setenv("SQLALCHEMY_DATABASE_URI", "sqlite:///data/x.db")
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.UsesPostgres() || c.Database.SQLitePath != "data/x.db" {
		t.Fatalf("sqlite url: pg=%v path=%q", c.Database.UsesPostgres(), c.Database.SQLitePath)
	}
}
