package resilience

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestSecretsNeverLogged starts a backend process with known secrets — the
// database, Redis and SMTP passwords, the JWT secret, OAuth client secrets,
// the superadmin's password — at debug level, exercises the paths that log
// (start-up, login, failed login, bearer requests, an API token, password
// recovery with an unreachable SMTP server, a refused token), and checks
// that none of those strings appears anywhere in its application or access
// log. It runs with tasks through Redis (with a password), and with tasks
// in-process, where the recovery mail is sent (and fails) inside the backend.
func TestSecretsNeverLogged(t *testing.T) {
	t.Parallel()
	t.Run("redis", func(t *testing.T) { secretsNeverLogged(t, true) })
	t.Run("in-process", func(t *testing.T) { secretsNeverLogged(t, false) })
}

func secretsNeverLogged(t *testing.T, withRedis bool) {
	const (
		dbPassword    = "db-pw-7f3a9c1e"
		redisPassword = "redis-pw-52be11d0"
		jwtSecret     = "jwt-secret-0c4f7aa2"
		smtpPassword  = "smtp-pw-91d2e6b4"
		adminPassword = "admin-pw-e81b3f55"
		oauthSecret   = "oauth-secret-4a7c2d90"
		wrongPassword = "wrong-pw-3b6e0f18"
		userPassword  = "user-pw-d4e5f6a7"
	)
	redisURL := ""
	if withRedis {
		rd := StartRedis(t, false, "--requirepass", redisPassword)
		redisURL = fmt.Sprintf("redis://:%s@127.0.0.1:%d/0", redisPassword, rd.Port)
	}
	// The shared server trusts local connections, so any password works;
	// the backend still puts it into every connection attempt.
	u, err := url.Parse(testenv.NewPostgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	smtpPort := FreePort(t) // nothing listens: sending fails and is logged
	be := StartBackend(t,
		"POSTGRESQL_HOST="+u.Hostname(), "POSTGRESQL_PORT="+u.Port(), "POSTGRESQL_DATABASE="+strings.TrimPrefix(u.Path, "/"),
		"POSTGRESQL_USER="+u.User.Username(), "POSTGRESQL_PASSWORD="+dbPassword, "POSTGRESQL_SSLMODE=disable",
		"REDIS_URL="+redisURL, "TASK_QUEUE=secrets",
		"JWT_SECRET="+jwtSecret, "LOG_LEVEL=debug",
		"MAIL_SERVER=127.0.0.1", fmt.Sprintf("MAIL_PORT=%d", smtpPort), "MAIL_USERNAME=mailer", "MAIL_PASSWORD="+smtpPassword, "MAIL_TIMEOUT=2s",
		"GITHUB_CLIENT_ID=gh-id", "GITHUB_CLIENT_SECRET="+oauthSecret, "OIDC_ISSUER_URL=http://127.0.0.1:1", "OIDC_CLIENT_ID=oidc", "OIDC_CLIENT_SECRET="+oauthSecret,
		"IBUTSU_SUPERADMIN_EMAIL=admin@example.com", "IBUTSU_SUPERADMIN_PASSWORD="+adminPassword)
	ctx := context.Background()

	token := be.Login("admin@example.com", adminPassword)
	if code, body := be.Call(ctx, "POST", "/api/login", "", map[string]string{"email": "admin@example.com", "password": wrongPassword}); code != http.StatusUnauthorized {
		t.Errorf("wrong password: %d %s", code, body)
	}
	if code, body := be.Call(ctx, "POST", "/api/admin/user", token, map[string]any{"email": "u@example.com", "password": userPassword, "is_active": true}); code >= 300 {
		t.Fatalf("create user: %d %s", code, body)
	}
	userToken := be.Login("u@example.com", userPassword)
	code, body := be.Call(ctx, "POST", "/api/user/token", userToken, map[string]any{"name": "ci", "expires": "2099-01-01T00:00:00Z"})
	if code >= 300 {
		t.Fatalf("create API token: %d %s", code, body)
	}
	apiToken := jsonField(t, body, "token")
	for _, tok := range []string{token, userToken, apiToken} {
		if code, body := be.Call(ctx, "GET", "/api/project", tok, nil); code != http.StatusOK {
			t.Errorf("GET /api/project: %d %s", code, body)
		}
	}
	be.Call(ctx, "GET", "/api/project?api_key="+apiToken, "", nil)
	be.Call(ctx, "GET", "/api/project", token[:len(token)-3]+"xyz", nil) // a refused token
	be.Call(ctx, "POST", "/api/login/recover", "", map[string]string{"email": "u@example.com"})
	be.Call(ctx, "POST", "/api/login/reset-password", "", map[string]string{"activation_code": "nope", "password": userPassword})
	be.Call(ctx, "PUT", "/api/user", userToken, map[string]any{"password": userPassword + "-new"})
	// In-process, wait until the recovery mail has failed and been logged.
	for deadline := time.Now().Add(time.Minute); !withRedis && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(be.Log(), "127.0.0.1:"+fmt.Sprint(smtpPort)) {
			break
		}
	}

	log := be.Log()
	if !strings.Contains(log, `"msg":"request"`) || !strings.Contains(log, "effective configuration") ||
		(!withRedis && !strings.Contains(log, "127.0.0.1:"+fmt.Sprint(smtpPort))) {
		t.Fatalf("the log is not what this test expects to search:\n%s", tail(log, 2000))
	}
	secrets := map[string]string{
		"database password": dbPassword, "Redis password": redisPassword, "JWT secret": jwtSecret,
		"SMTP password": smtpPassword, "superadmin password": adminPassword, "OAuth client secret": oauthSecret,
		"wrong password": wrongPassword, "user password": userPassword, "superadmin token": token,
		"user token": userToken, "API token": apiToken, "refused token": token[:len(token)-3] + "xyz",
	}
	// A JWT's signature alone is as secret as the whole token.
	for name, tok := range map[string]string{"superadmin token": token, "user token": userToken, "API token": apiToken} {
		secrets[name+" signature"] = tok[strings.LastIndex(tok, ".")+1:]
	}
	for name, s := range secrets {
		if strings.Contains(log, s) {
			i := strings.Index(log, s)
			t.Errorf("the %s is in the log: …%s…", name, log[max(0, i-200):min(len(log), i+len(s)+50)])
		}
	}
	t.Logf("searched %d KiB of log (%d lines) for %d secrets", len(log)>>10, strings.Count(log, "\n"), len(secrets))
}
