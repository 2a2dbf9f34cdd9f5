package backend_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/logbuf"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// onBothDBs runs fn on a fresh backend on PostgreSQL and on SQLite.
func onBothDBs(t *testing.T, configure func(*config.Config), fn func(t *testing.T, e *backendtest.Env)) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		fn(t, backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: configure}))
	})
}

// dbUser reads an account straight from the database.
func dbUser(t *testing.T, e *backendtest.Env, email string) model.User {
	t.Helper()
	var u model.User
	if err := e.App.DB.Conn(context.Background()).Where("email = ?", email).Take(&u).Error; err != nil {
		t.Fatalf("load %s: %v", email, err)
	}
	return u
}

// rerunBootstrap runs the start-up bootstrap again, as a restart does.
func rerunBootstrap(t *testing.T, e *backendtest.Env) {
	t.Helper()
	if _, _, err := user.Bootstrap(context.Background(), e.App.Users, e.App.Config.Superadmin, 4, false, nil, backendtest.Quiet()); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
}

// registerActive registers email and activates it through its link.
func registerActive(t *testing.T, e *backendtest.Env, email, password string) model.User {
	t.Helper()
	if r := e.Do("POST", "/api/login/register", map[string]any{"email": email, "password": password}, ""); r.Code != 201 {
		t.Fatalf("register %s: %d %s", email, r.Code, r.Body)
	}
	u := dbUser(t, e, email)
	if r := e.Do("GET", "/api/login/activate/"+*u.ActivationCode, nil, ""); r.Code != 302 || !strings.Contains(r.Header().Get("Location"), "st=success") {
		t.Fatalf("activate %s: %d %s", email, r.Code, r.Header().Get("Location"))
	}
	return dbUser(t, e, email)
}

// The bootstrap superadmin moves to another address; whoever
// registers the configured address (exactly, or in other case) is not made
// superadmin by the next start. The bootstrap's own account still is.
func TestBootstrapNeverPromotesAnAccountItDidNotCreate(t *testing.T) {
	onBothDBs(t, nil, func(t *testing.T, e *backendtest.Env) {
		if r := e.Do("PUT", "/api/user", map[string]any{"email": "boss@example.com"}, e.AdminToken); r.Code != 200 {
			t.Fatalf("superadmin changes e-mail: %d %s", r.Code, r.Body)
		}
		registerActive(t, e, "admin@example.com", "attacker-password")
		rerunBootstrap(t, e)
		if u := dbUser(t, e, "admin@example.com"); u.IsSuperadmin {
			t.Fatal("the bootstrap promoted an account somebody registered with its e-mail")
		}

		// A case-only variant: the attacker moves to ADMIN@… instead.
		att := dbUser(t, e, "admin@example.com")
		tok := e.TokenFor(&att)
		if r := e.Do("PUT", "/api/user", map[string]any{"email": "ADMIN@example.com"}, tok); r.Code != 200 {
			t.Fatalf("case change of own e-mail: %d %s", r.Code, r.Body)
		}
		rerunBootstrap(t, e)
		if u := dbUser(t, e, "ADMIN@example.com"); u.IsSuperadmin {
			t.Fatal("the bootstrap promoted a case variant of its e-mail")
		}
		var n int64
		e.App.DB.Conn(context.Background()).Model(&model.User{}).Where("is_superadmin = ?", true).Count(&n)
		if n != 1 {
			t.Fatalf("%d superadmins, want only the bootstrap's own", n)
		}

		// The bootstrap's own account, demoted and moved back, is promoted again.
		boss := dbUser(t, e, "boss@example.com")
		e.App.DB.Conn(context.Background()).Model(&model.User{}).Where("id = ?", att.ID).Update("email", "someone@example.com")
		e.App.DB.Conn(context.Background()).Model(&model.User{}).Where("id = ?", boss.ID).
			Updates(map[string]any{"email": "admin@example.com", "is_superadmin": false})
		rerunBootstrap(t, e)
		if u := dbUser(t, e, "admin@example.com"); !u.IsSuperadmin || u.ID != boss.ID {
			t.Fatalf("the bootstrap's own account was not promoted again: %+v", u)
		}
	})
}

// Two accounts never differ only by case, through any route, and
// a login by a case variant that names two upstream-era accounts logs into
// neither.
func TestEmailIdentityIgnoresCaseAndIsUnique(t *testing.T) {
	onBothDBs(t, nil, func(t *testing.T, e *backendtest.Env) {
		ctx := context.Background()
		if r := e.Do("POST", "/api/login/register", map[string]any{"email": "USER@example.com", "password": "pw"}, ""); r.Code != 400 || !strings.Contains(r.Body.String(), "already exists") {
			t.Fatalf("register a case variant: %d %s", r.Code, r.Body)
		}
		if r := e.Do("POST", "/api/admin/user", map[string]any{"email": "User@Example.com", "password": "pw"}, e.AdminToken); r.Code != 400 {
			t.Fatalf("admin creates a case variant: %d %s", r.Code, r.Body)
		}
		if r := e.Do("PUT", "/api/user", map[string]any{"email": "user@EXAMPLE.com"}, e.AdminToken); r.Code != 400 {
			t.Fatalf("profile update to a case variant: %d %s", r.Code, r.Body)
		}
		if r := e.Do("PUT", "/api/admin/user/"+e.Admin.ID.String(), map[string]any{"email": "uSer@example.com"}, e.AdminToken); r.Code != 400 {
			t.Fatalf("admin update to a case variant: %d %s", r.Code, r.Body)
		}
		var n int64
		e.App.DB.Conn(ctx).Model(&model.User{}).Where("lower(email) = ?", "user@example.com").Count(&n)
		if n != 1 {
			t.Fatalf("%d accounts for user@example.com", n)
		}
		if r := login(e, "USER@example.com", "user-password"); r.Code != 200 {
			t.Fatalf("login ignores case: %d %s", r.Code, r.Body)
		}

		// A database written by upstream may hold two accounts differing by
		// case: each logs in by its exact address, a third spelling by neither.
		a := e.CreateUser("Twin@example.com", "pw-a", false)
		b := e.CreateUser("twin@example.com", "pw-b", false)
		if r := login(e, "Twin@example.com", "pw-a"); r.Code != 200 || r.Map()["email"] != a.Email {
			t.Fatalf("exact Twin: %d %s", r.Code, r.Body)
		}
		if r := login(e, "twin@example.com", "pw-b"); r.Code != 200 || r.Map()["email"] != b.Email {
			t.Fatalf("exact twin: %d %s", r.Code, r.Body)
		}
		for _, pw := range []string{"pw-a", "pw-b"} {
			if r := login(e, "TWIN@example.com", pw); r.Code != 401 {
				t.Fatalf("ambiguous case variant logged in with %s: %d %s", pw, r.Code, r.Body)
			}
		}
	})
}

// An account an administrator deactivated stays deactivated
// through recovery: the reset code neither activates nor is accepted by the
// activation link.
func TestResetNeverReactivatesADeactivatedAccount(t *testing.T) {
	onBothDBs(t, nil, func(t *testing.T, e *backendtest.Env) {
		if r := e.Do("PUT", "/api/admin/user/"+e.User.ID.String(), map[string]any{"email": "user@example.com", "is_active": false}, e.AdminToken); r.Code != 200 {
			t.Fatalf("deactivate: %d %s", r.Code, r.Body)
		}
		if r := e.Do("POST", "/api/login/recover", map[string]any{"email": "user@example.com"}, ""); r.Code != 201 {
			t.Fatalf("recover: %d %s", r.Code, r.Body)
		}
		code := *dbUser(t, e, "user@example.com").ActivationCode
		r := e.Do("GET", "/api/login/activate/"+code, nil, "")
		if r.Code != 302 || !strings.Contains(r.Header().Get("Location"), "st=error") {
			t.Fatalf("reset code on the activation link: %d %s", r.Code, r.Header().Get("Location"))
		}
		if dbUser(t, e, "user@example.com").IsActive {
			t.Fatal("the activation link re-activated a deactivated account")
		}
		if r := e.Do("POST", "/api/login/reset-password", map[string]any{"activation_code": code, "password": "new-password"}, ""); r.Code != 201 {
			t.Fatalf("reset: %d %s", r.Code, r.Body)
		}
		if dbUser(t, e, "user@example.com").IsActive {
			t.Fatal("the reset re-activated a deactivated account")
		}
		if r := login(e, "user@example.com", "new-password"); r.Code != 401 || r.Map()["code"] != "INACTIVE" {
			t.Fatalf("login after reset: %d %s", r.Code, r.Body)
		}
	})
}

// Codes work for one purpose, once, and within their lifetime;
// a code this server did not issue is refused.
func TestAccountCodesAreSinglePurposeSingleUseAndExpire(t *testing.T) {
	onBothDBs(t, func(c *config.Config) { c.CodeLifetime = time.Hour }, func(t *testing.T, e *backendtest.Env) {
		ctx := context.Background()
		if r := e.Do("POST", "/api/login/register", map[string]any{"email": "new@example.com", "password": "pw"}, ""); r.Code != 201 {
			t.Fatalf("register: %d %s", r.Code, r.Body)
		}
		act := *dbUser(t, e, "new@example.com").ActivationCode
		if r := e.Do("POST", "/api/login/reset-password", map[string]any{"activation_code": act, "password": "x"}, ""); r.Code != 400 {
			t.Fatalf("activation code used to reset: %d %s", r.Code, r.Body)
		}
		if u := dbUser(t, e, "new@example.com"); user.CheckPassword(u.Password, "x") {
			t.Fatal("the activation code set a password")
		}
		// Recovery before activation sends a new activation link, not a reset.
		if r := e.Do("POST", "/api/login/recover", map[string]any{"email": "new@example.com"}, ""); r.Code != 201 {
			t.Fatalf("recover pending: %d %s", r.Code, r.Body)
		}
		act = *dbUser(t, e, "new@example.com").ActivationCode
		if r := e.Do("GET", "/api/login/activate/"+act, nil, ""); !strings.Contains(r.Header().Get("Location"), "st=success") {
			t.Fatalf("activate: %d %s", r.Code, r.Header().Get("Location"))
		}
		if r := e.Do("GET", "/api/login/activate/"+act, nil, ""); !strings.Contains(r.Header().Get("Location"), "st=error") {
			t.Fatalf("activation code used twice: %s", r.Header().Get("Location"))
		}

		recoverCode := func() string {
			if r := e.Do("POST", "/api/login/recover", map[string]any{"email": "new@example.com"}, ""); r.Code != 201 {
				t.Fatalf("recover: %d %s", r.Code, r.Body)
			}
			return *dbUser(t, e, "new@example.com").ActivationCode
		}
		reset := func(code, pw string) int {
			return e.Do("POST", "/api/login/reset-password", map[string]any{"activation_code": code, "password": pw}, "").Code
		}
		code := recoverCode()
		if c := reset(code, "pw-1"); c != 201 {
			t.Fatalf("reset: %d", c)
		}
		if c := reset(code, "pw-2"); c != 400 {
			t.Fatalf("reset code used twice: %d", c)
		}
		if u := dbUser(t, e, "new@example.com"); !user.CheckPassword(u.Password, "pw-1") {
			t.Fatal("the second use changed the password")
		}

		// Expired: issued two hours ago with a one-hour lifetime.
		code = recoverCode()
		id := dbUser(t, e, "new@example.com").ID
		e.App.DB.Conn(ctx).Table(user.SecurityTable).Where("user_id = ?", id).Update("code_issued_at", time.Now().Add(-2*time.Hour).Unix())
		if c := reset(code, "pw-3"); c != 400 {
			t.Fatalf("expired reset code: %d", c)
		}
		// Not issued by this server (no row describes it, e.g. written by upstream).
		e.App.DB.Conn(ctx).Model(&model.User{}).Where("id = ?", id).Update("activation_code", "bm90LW91cnMtY29kZS1hdC1hbGwtMTIzNDU2Nzg5MDEy")
		if c := reset("bm90LW91cnMtY29kZS1hdC1hbGwtMTIzNDU2Nzg5MDEy", "pw-4"); c != 400 {
			t.Fatalf("foreign code: %d", c)
		}
		if u := dbUser(t, e, "new@example.com"); !user.CheckPassword(u.Password, "pw-1") {
			t.Fatal("a refused code changed the password")
		}
	})
}

// A password change (own, by an admin, or by reset) ends the
// older login tokens at once; API tokens keep working.
func TestPasswordChangeEndsLoginTokens(t *testing.T) {
	onBothDBs(t, nil, func(t *testing.T, e *backendtest.Env) {
		r := e.Do("POST", "/api/user/token", map[string]any{"name": "ci", "expires": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)}, e.UserToken)
		if r.Code != 201 {
			t.Fatalf("api token: %d %s", r.Code, r.Body)
		}
		apiToken := r.Map()["token"].(string)
		get := func(tok string) int { return e.Do("GET", "/api/user", nil, tok).Code }
		if get(e.UserToken) != 200 || get(apiToken) != 200 {
			t.Fatal("tokens do not work before the change")
		}
		if r := e.Do("PUT", "/api/user", map[string]any{"password": "changed-1"}, e.UserToken); r.Code != 200 {
			t.Fatalf("change: %d %s", r.Code, r.Body)
		}
		if c := get(e.UserToken); c != 401 {
			t.Fatalf("login token after own password change: %d", c)
		}
		if c := get(apiToken); c != 200 {
			t.Fatalf("api token after password change: %d", c)
		}
		r = login(e, "user@example.com", "changed-1")
		if r.Code != 200 || get(r.Map()["token"].(string)) != 200 {
			t.Fatalf("new login: %d %s", r.Code, r.Body)
		}
		tok := r.Map()["token"].(string)

		// By an administrator.
		if r := e.Do("PUT", "/api/admin/user/"+e.User.ID.String(), map[string]any{"email": "user@example.com", "password": "changed-2"}, e.AdminToken); r.Code != 200 {
			t.Fatalf("admin change: %d %s", r.Code, r.Body)
		}
		if c := get(tok); c != 401 {
			t.Fatalf("login token after admin password change: %d", c)
		}
		r = login(e, "user@example.com", "changed-2")
		tok = r.Map()["token"].(string)

		// By reset.
		if r := e.Do("POST", "/api/login/recover", map[string]any{"email": "user@example.com"}, ""); r.Code != 201 {
			t.Fatalf("recover: %d", r.Code)
		}
		code := *dbUser(t, e, "user@example.com").ActivationCode
		if r := e.Do("POST", "/api/login/reset-password", map[string]any{"activation_code": code, "password": "changed-3"}, ""); r.Code != 201 {
			t.Fatalf("reset: %d %s", r.Code, r.Body)
		}
		if c := get(tok); c != 401 {
			t.Fatalf("login token after reset: %d", c)
		}
		if c := get(apiToken); c != 200 {
			t.Fatalf("api token after reset: %d", c)
		}
		if r := login(e, "user@example.com", "changed-3"); r.Code != 200 || get(r.Map()["token"].(string)) != 200 {
			t.Fatalf("login after reset: %d %s", r.Code, r.Body)
		}
	})
}

// The access log never holds a live code: not the UI's reset
// page, not the API's activation link.
func TestAccessLogRedactsAccountCodes(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		cfg := backendtest.Config(t, backendtest.Options{SQLite: sqlite})
		var access logbuf.Buffer
		app, err := backend.New(context.Background(), cfg, backendtest.Quiet(), slog.New(slog.NewJSONHandler(&access, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = app.Close() })
		e := &backendtest.Env{T: t, App: app}
		if r := e.Do("POST", "/api/login/register", map[string]any{"email": "log@example.com", "password": "pw"}, ""); r.Code != 201 {
			t.Fatalf("register: %d", r.Code)
		}
		act := *dbUser(t, e, "log@example.com").ActivationCode
		e.Do("GET", "/api/login/activate/"+act, nil, "")
		e.Do("POST", "/api/login/recover", map[string]any{"email": "log@example.com"}, "")
		reset := *dbUser(t, e, "log@example.com").ActivationCode
		e.Do("GET", "/reset-password/"+reset, nil, "")
		e.Do("GET", "/ui/reset-password/"+reset+"/", nil, "")
		logs := access.String()
		for _, code := range []string{act, reset} {
			if strings.Contains(logs, code) {
				t.Fatalf("a code is in the access log:\n%s", logs)
			}
		}
		for _, want := range []string{`"path":"/api/login/activate/REDACTED"`, `"path":"/reset-password/REDACTED"`, `"path":"/ui/reset-password/REDACTED/"`} {
			if !strings.Contains(logs, want) {
				t.Fatalf("no %s in the access log:\n%s", want, logs)
			}
		}
	})
}

// With the default trusted proxies a client that is not a proxy
// cannot choose the address it is counted under, so rotating
// X-Forwarded-For neither escapes the limit nor locks the owner out; a
// private-range proxy's header is believed.
func TestLoginThrottleIgnoresSpoofedForwardedFor(t *testing.T) {
	onBothDBs(t, func(c *config.Config) {
		c.LoginThrottle.MaxPerEmail, c.LoginThrottle.MaxPerIP = 3, 1000
		c.LoginThrottle.MaxPerAccount, c.LoginThrottle.MaxDelay = 1000, time.Second
	}, func(t *testing.T, e *backendtest.Env) {
		const attacker = "198.51.100.66"
		for i := 0; i < 6; i++ {
			loginFrom(e, "user@example.com", "wrong", attacker, "10.9.8."+string(rune('1'+i)))
		}
		if r := loginFrom(e, "user@example.com", "wrong", attacker, "10.9.9.9"); r.Code != 429 {
			t.Fatalf("rotating X-Forwarded-For escaped the limit: %d %s", r.Code, r.Body)
		}
		if r := loginFrom(e, "user@example.com", "user-password", "198.51.100.7", ""); r.Code != 200 {
			t.Fatalf("the owner is locked out by another client's failures: %d %s", r.Code, r.Body)
		}
		if r := loginFrom(e, "user@example.com", "user-password", "192.0.2.200", attacker); r.Code != 200 {
			t.Fatalf("a forged X-Forwarded-For from a public peer was believed: %d %s", r.Code, r.Body)
		}
		// Behind a proxy in a private range the forwarded address counts.
		if r := loginFrom(e, "user@example.com", "user-password", "10.1.2.3", attacker); r.Code != 429 {
			t.Fatalf("the forwarded address of a trusted proxy was not used: %d %s", r.Code, r.Body)
		}
	})
}

// Failures on one account from many addresses slow every attempt
// on it (right password included) but never refuse the owner.
func TestLoginAccountFailuresDelayButNeverLockOut(t *testing.T) {
	onBothDBs(t, func(c *config.Config) {
		c.LoginThrottle.MaxPerEmail, c.LoginThrottle.MaxPerIP = 3, 1000
		c.LoginThrottle.MaxPerAccount, c.LoginThrottle.MaxDelay = 4, 350*time.Millisecond
	}, func(t *testing.T, e *backendtest.Env) {
		for i := 0; i < 10; i++ {
			peer := "203.0.113." + string(rune('1'+i%9)) + "0"
			if r := loginFrom(e, "admin@example.com", "wrong", peer, ""); r.Code != 401 {
				t.Fatalf("failure %d: %d %s", i, r.Code, r.Body)
			}
		}
		start := time.Now()
		r := loginFrom(e, "admin@example.com", "admin-password", "198.51.100.1", "")
		took := time.Since(start)
		if r.Code != 200 {
			t.Fatalf("the superadmin is locked out by failures from other addresses: %d %s", r.Code, r.Body)
		}
		if took < 300*time.Millisecond {
			t.Fatalf("attempt on an account with 10 failures answered after %v, want the capped delay", took)
		}
	})
}

// Registrations racing with case variants of one address store
// one account (the check and the insert are serialised per address).
func TestConcurrentCaseVariantRegistrationsStoreOneAccount(t *testing.T) {
	onBothDBs(t, nil, func(t *testing.T, e *backendtest.Env) {
		for round := 0; round < 5; round++ {
			base := fmt.Sprintf("race%d@example.com", round)
			var wg sync.WaitGroup
			codes := make([]int, 8)
			for i := range codes {
				// Variant i upper-cases the letters whose bit is set in i.
				v := []rune(base)
				for j := 0; j < 3; j++ {
					if i&(1<<j) != 0 {
						v[j] = unicode.ToUpper(v[j])
					}
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes[i] = e.Do("POST", "/api/login/register", map[string]any{"email": string(v), "password": "pw"}, "").Code
				}()
			}
			wg.Wait()
			var n int64
			e.App.DB.Conn(context.Background()).Model(&model.User{}).Where("lower(email) = ?", base).Count(&n)
			created := 0
			for _, c := range codes {
				if c == 201 {
					created++
				} else if c != 400 {
					t.Fatalf("round %d: status %d", round, c)
				}
			}
			if n != 1 || created != 1 {
				t.Fatalf("round %d: %d accounts stored, %d registrations answered 201 (%v)", round, n, created, codes)
			}
		}
	})
}
