package backend_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/mail"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// jwtClaims decodes a JWT's payload without verifying it.
func jwtClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func login(e *backendtest.Env, email, password string) *backendtest.Response {
	return e.Do("POST", "/api/login", map[string]any{"email": email, "password": password}, "")
}

// TestCompatAccounts: the provider list, password login and its refusals,
// the current user without secrets, and API tokens.
func TestCompatAccounts(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		// The provider list: exactly six booleans, local login on by default.
		r := e.Do("GET", "/api/login/support", nil, "")
		sup := r.Map()
		if r.Code != 200 || len(sup) != 6 || sup["user"] != true {
			t.Fatalf("support: %d %v", r.Code, sup)
		}
		for _, k := range []string{"user", "keycloak", "google", "github", "facebook", "gitlab"} {
			if _, ok := sup[k].(bool); !ok {
				t.Fatalf("support key %s: %v", k, sup)
			}
		}
		// Password login answers name, email and a JWT with upstream's claims.
		r = login(e.Env, "admin@example.com", "admin-password")
		body := r.Map()
		if r.Code != 200 || body["email"] != "admin@example.com" || body["name"] != "Admin" {
			t.Fatalf("login: %d %s", r.Code, r.Body)
		}
		c := jwtClaims(t, body["token"].(string))
		if c["sub"] != e.Admin.ID.String() || c["iss"] != "org.ibutsu-project.server" || c["exp"].(float64)-c["iat"].(float64) != 2592000 {
			t.Fatalf("claims %v", c)
		}
		if r = e.Do("GET", "/api/user", nil, body["token"].(string)); r.Code != 200 {
			t.Fatalf("login token rejected: %d", r.Code)
		}
		// A wrong password or unknown address: INVALID.
		r = login(e.Env, "admin@example.com", "wrong")
		if r.Code != 401 || r.Map()["code"] != "INVALID" || r.Map()["message"] != "Username and/or password are invalid" {
			t.Fatalf("bad password: %d %s", r.Code, r.Body)
		}
		if r = login(e.Env, "nobody@example.com", "x"); r.Code != 401 || r.Map()["code"] != "INVALID" {
			t.Fatalf("unknown user: %d %s", r.Code, r.Body)
		}
		// Empty e-mail (400), empty password (EMPTY), inactive account (INACTIVE).
		if r = login(e.Env, "", "x"); r.Code != 400 || !isProblem(r) {
			t.Fatalf("empty email: %d %s", r.Code, r.Body)
		}
		if r = login(e.Env, "a@b.c", ""); r.Code != 401 || r.Map()["code"] != "EMPTY" {
			t.Fatalf("empty password: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/login", map[string]any{"email": "a@b.c"}, ""); r.Code != 400 || !isProblem(r) {
			t.Fatalf("missing password: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/login", "email=a", ""); r.Code != 400 {
			t.Fatalf("not JSON: %d %s", r.Code, r.Body)
		}
		inactive := e.CreateUser("sleepy@example.com", "sleepy-pw", false)
		e.App.DB.Gorm.Exec("UPDATE users SET is_active = ? WHERE id = ?", false, inactive.ID)
		if r = login(e.Env, "sleepy@example.com", "sleepy-pw"); r.Code != 401 || r.Map()["code"] != "INACTIVE" {
			t.Fatalf("inactive: %d %s", r.Code, r.Body)
		}
		// The current user carries no secrets.
		r = e.Do("GET", "/api/user", nil, e.UserToken)
		u := r.Map()
		for _, k := range []string{"id", "email", "name", "is_superadmin", "is_active", "group_id"} {
			if _, ok := u[k]; !ok {
				t.Fatalf("user lacks %s: %v", k, u)
			}
		}
		for _, k := range []string{"password", "_password", "activation_code"} {
			if _, ok := u[k]; ok {
				t.Fatalf("user leaks %s: %v", k, u)
			}
		}
		// An API token expires when asked and works as a Bearer token.
		r = e.Do("POST", "/api/user/token", map[string]any{"name": "ci", "expires": "2030-01-01T00:00:00Z"}, e.UserToken)
		tok := r.Map()
		if r.Code != 201 || tok["name"] != "ci" || tok["user_id"] != e.User.ID.String() || tok["expires"] != "2030-01-01T00:00:00Z" {
			t.Fatalf("create token: %d %s", r.Code, r.Body)
		}
		jwt := tok["token"].(string)
		if exp := jwtClaims(t, jwt)["exp"].(float64); exp != 1893456000 {
			t.Fatalf("exp %v", exp)
		}
		if r = e.Do("GET", "/api/user", nil, jwt); r.Code != 200 || r.Map()["id"] != e.User.ID.String() {
			t.Fatalf("api token rejected: %d %s", r.Code, r.Body)
		}
		login(e.Env, "user@example.com", "user-password") // creates the login-token row
		r = e.Do("GET", "/api/user/token", nil, e.UserToken)
		list := r.Map()
		toks := list["tokens"].([]any)
		if len(toks) != 1 || toks[0].(map[string]any)["id"] != tok["id"] || strings.Contains(r.Body.String(), "login-token") {
			t.Fatalf("token list: %s", r.Body)
		}
	})
}

func TestUserProfileAndTokens(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		cases := []statusCase{
			{"profile name", "PUT", "/api/user", map[string]any{"name": "New Name", "is_superadmin": true, "is_active": false}, e.UserToken, 200, `"name":"New Name"`},
			{"stays normal", "GET", "/api/user", nil, e.UserToken, 200, `"is_superadmin":false,"is_active":true`},
			{"email taken", "PUT", "/api/user", map[string]any{"email": "admin@example.com"}, e.UserToken, 400, "only an administrator"},
			{"email format", "PUT", "/api/user", map[string]any{"email": "nope"}, e.UserToken, 400, "email"},
			{"bad type", "PUT", "/api/user", map[string]any{"name": 3}, e.UserToken, 400, "name"},
			{"long password", "PUT", "/api/user", map[string]any{"password": strings.Repeat("x", 73)}, e.UserToken, 400, "too long"},
			{"not json", "PUT", "/api/user", "[1]", e.UserToken, 400, "object"},
			{"expires null", "POST", "/api/user/token", map[string]any{"name": "x", "expires": nil}, e.UserToken, 400, "expires"},
			{"expires missing", "POST", "/api/user/token", map[string]any{"name": "x"}, e.UserToken, 400, "required"},
			{"expires garbage", "POST", "/api/user/token", map[string]any{"name": "x", "expires": "soon"}, e.UserToken, 400, "ISO-8601"},
			{"expires past", "POST", "/api/user/token", map[string]any{"name": "x", "expires": "2001-01-01"}, e.UserToken, 400, "future"},
			{"reserved name", "POST", "/api/user/token", map[string]any{"name": "login-token", "expires": "2030-01-01"}, e.UserToken, 400, "reserved"},
			{"token bad id", "GET", "/api/user/token/xyz", nil, e.UserToken, 400, "is not a valid UUID"},
			{"token unknown", "GET", "/api/user/token/" + uuid.NewString(), nil, e.UserToken, 404, "Token not found"},
			{"delete unknown", "DELETE", "/api/user/token/" + uuid.NewString(), nil, e.UserToken, 404, "Not Found"},
		}
		checkStatusCases(t, e.Env, cases)
		// Password change works for the next login.
		if r := e.Do("PUT", "/api/user", map[string]any{"password": "fresh-password"}, e.UserToken); r.Code != 200 {
			t.Fatalf("password change: %d %s", r.Code, r.Body)
		}
		r := login(e.Env, "user@example.com", "fresh-password")
		if r.Code != 200 {
			t.Fatalf("login with new password: %d %s", r.Code, r.Body)
		}
		// The change ended the older login token (TestPasswordChangeEndsLoginTokens).
		e.UserToken = r.Map()["token"].(string)
		// Another user's token is 403.
		r = e.Do("POST", "/api/user/token", map[string]any{"name": "adm", "expires": "2031-01-01T00:00:00"}, e.AdminToken)
		id := r.Map()["id"].(string)
		if r = e.Do("GET", "/api/user/token/"+id, nil, e.UserToken); r.Code != 403 {
			t.Fatalf("foreign token get: %d", r.Code)
		}
		if r = e.Do("DELETE", "/api/user/token/"+id, nil, e.UserToken); r.Code != 403 {
			t.Fatalf("foreign token delete: %d", r.Code)
		}
		if r = e.Do("GET", "/api/user/token/"+id, nil, e.AdminToken); r.Code != 200 || r.Map()["name"] != "adm" {
			t.Fatalf("own token get: %d %s", r.Code, r.Body)
		}
	})
}

// Deleting an API token revokes it at once; login tokens (which share one
// row across browsers) keep working after newer logins.
func TestTokenRevocation(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		r := e.Do("POST", "/api/user/token", map[string]any{"name": "ci", "expires": time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)}, e.UserToken)
		tok := r.Map()
		jwt := tok["token"].(string)
		if r = e.Do("GET", "/api/run?filter=project_id="+e.p1, nil, jwt); r.Code != 200 {
			t.Fatalf("api token before delete: %d %s", r.Code, r.Body)
		}
		if r = e.Do("DELETE", "/api/user/token/"+tok["id"].(string), nil, jwt); r.Code != 200 || strings.TrimSpace(r.Body.String()) != `"OK"` {
			t.Fatalf("delete: %d %s", r.Code, r.Body)
		}
		r = e.Do("GET", "/api/run?filter=project_id="+e.p1, nil, jwt)
		if r.Code != 401 || !isProblem(r) || !strings.Contains(r.Body.String(), "revoked") {
			t.Fatalf("revoked token still works: %d %s", r.Code, r.Body)
		}
		// Two logins (two browsers): both login JWTs stay valid.
		first := login(e.Env, "user@example.com", "user-password").Map()["token"].(string)
		time.Sleep(1100 * time.Millisecond) // a different iat, so a different JWT
		second := login(e.Env, "user@example.com", "user-password").Map()["token"].(string)
		if first == second {
			t.Fatal("expected distinct login tokens")
		}
		for _, jt := range []string{first, second} {
			if r = e.Do("GET", "/api/user", nil, jt); r.Code != 200 {
				t.Fatalf("login token rejected: %d %s", r.Code, r.Body)
			}
		}
		// A deleted user's API token is rejected as well.
		other := e.CreateUser("temp@example.com", "temp-pw", false)
		otherLogin := e.TokenFor(other)
		r = e.Do("POST", "/api/user/token", map[string]any{"name": "t", "expires": "2035-01-01"}, otherLogin)
		otherAPI := r.Map()["token"].(string)
		if r = e.Do("DELETE", "/api/admin/user/"+other.ID.String(), nil, e.AdminToken); r.Code != 200 {
			t.Fatalf("admin delete: %d %s", r.Code, r.Body)
		}
		for _, jt := range []string{otherLogin, otherAPI} {
			if r = e.Do("GET", "/api/user", nil, jt); r.Code != 401 {
				t.Fatalf("deleted user's token: %d %s", r.Code, r.Body)
			}
		}
	})
}

var linkRe = regexp.MustCompile(`https?://\S+`)

// lastLink waits for the n-th e-mail (sent by a background task) and
// returns the link in the newest one.
func lastLink(t *testing.T, e *backendtest.Env, n int) string {
	t.Helper()
	sent := waitMail(t, e, n)
	link := linkRe.FindString(sent[len(sent)-1].Body)
	if link == "" {
		t.Fatalf("no link in %q", sent[len(sent)-1].Body)
	}
	return link
}

// waitMail waits, within a deadline derived from the test's context, until
// n e-mails were sent.
func waitMail(t *testing.T, e *backendtest.Env, n int) []mail.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	sent, err := e.Mail.Wait(ctx, n)
	if err != nil {
		t.Fatalf("%v (got %d)", err, len(sent))
	}
	return sent
}

func TestRegistrationActivationLogin(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		reg := map[string]any{"email": "new@example.com", "password": "new-password"}
		r := e.Do("POST", "/api/login/register", reg, "")
		// Upstream answers {}; our one added field says no mail server is
		// configured here, so an administrator must activate the account.
		if r.Code != 201 || strings.TrimSpace(r.Body.String()) != `{"activation":"administrator"}` {
			t.Fatalf("register: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/login/register", reg, ""); r.Code != 400 || !strings.Contains(r.Body.String(), "The user with email new@example.com already exists") {
			t.Fatalf("register twice: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/login/register", map[string]any{"email": "x@example.com", "password": ""}, ""); r.Code != 401 || r.Map()["code"] != "EMPTY" {
			t.Fatalf("register empty: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/login/register", map[string]any{"email": "x@example.com", "password": strings.Repeat("p", 73)}, ""); r.Code != 400 || r.Map()["code"] != "INVALID" {
			t.Fatalf("register long: %d %s", r.Code, r.Body)
		}
		msg := waitMail(t, e.Env, 1)[0]
		if msg.Subject != "[Ibutsu] Registration Confirmation" || msg.To[0] != "new@example.com" {
			t.Fatalf("mail %+v", msg)
		}
		if r = login(e.Env, "new@example.com", "new-password"); r.Code != 401 || r.Map()["code"] != "INACTIVE" {
			t.Fatalf("login before activation: %d %s", r.Code, r.Body)
		}
		link := lastLink(t, e.Env, 1)
		prefix := "http://127.0.0.1:8080/api/login/activate/"
		if !strings.HasPrefix(link, prefix) || len(link)-len(prefix) != 48 {
			t.Fatalf("activation link %q", link)
		}
		r = e.Do("GET", strings.TrimPrefix(link, "http://127.0.0.1:8080"), nil, "")
		if r.Code != 302 || r.Header().Get("Location") != "http://127.0.0.1:3000/login?st=success&msg=Account+activated,+please+log+in." {
			t.Fatalf("activate: %d %v", r.Code, r.Header())
		}
		r = e.Do("GET", strings.TrimPrefix(link, "http://127.0.0.1:8080"), nil, "")
		if r.Code != 302 || !strings.Contains(r.Header().Get("Location"), "st=error") {
			t.Fatalf("activate twice: %d %v", r.Code, r.Header())
		}
		if r = e.Do("GET", "/api/login/activate/a", nil, ""); r.Code != 400 || !strings.Contains(r.Body.String(), "Activation code a is not valid") {
			t.Fatalf("bad code: %d %s", r.Code, r.Body)
		}
		if r = login(e.Env, "new@example.com", "new-password"); r.Code != 200 {
			t.Fatalf("login after activation: %d %s", r.Code, r.Body)
		}
		if r = e.Do("GET", "/api/user", nil, r.Map()["token"].(string)); r.Code != 200 || r.Map()["is_superadmin"] != false {
			t.Fatalf("new user: %d %s", r.Code, r.Body)
		}
	})
}

func TestRecoverResetLogin(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		if r := e.Do("POST", "/api/login/recover", map[string]any{"email": "nobody@example.com"}, ""); r.Code != 400 {
			t.Fatalf("recover unknown: %d %s", r.Code, r.Body)
		}
		if r := e.Do("POST", "/api/login/recover", map[string]any{}, ""); r.Code != 400 || !isProblem(r) {
			t.Fatalf("recover without email: %d %s", r.Code, r.Body)
		}
		r := e.Do("POST", "/api/login/recover", map[string]any{"email": "user@example.com"}, "")
		if r.Code != 201 || strings.TrimSpace(r.Body.String()) != "{}" {
			t.Fatalf("recover: %d %s", r.Code, r.Body)
		}
		link := lastLink(t, e.Env, 1)
		prefix := "http://127.0.0.1:3000/reset-password/"
		if !strings.HasPrefix(link, prefix) {
			t.Fatalf("reset link %q", link)
		}
		code := strings.TrimPrefix(link, prefix)
		bad := []struct {
			body     map[string]any
			status   int
			contains string
		}{
			{map[string]any{"activation_code": "a", "password": "x"}, 400, "Activation code a is not valid"},
			{map[string]any{"activation_code": code, "password": ""}, 400, "Bad Request"},
			{map[string]any{"activation_code": code}, 400, "required"},
			{map[string]any{"activation_code": code, "password": strings.Repeat("p", 73)}, 400, "INVALID"},
			{map[string]any{"activation_code": newActivationLikeCode(), "password": "x"}, 400, "Invalid activation code"},
		}
		for _, b := range bad {
			if r = e.Do("POST", "/api/login/reset-password", b.body, ""); r.Code != b.status || !strings.Contains(r.Body.String(), b.contains) {
				t.Errorf("reset %v: %d %s", b.body, r.Code, r.Body)
			}
		}
		if r = e.Do("POST", "/api/login/reset-password", map[string]any{"activation_code": code, "password": "reset-password"}, ""); r.Code != 201 {
			t.Fatalf("reset: %d %s", r.Code, r.Body)
		}
		if r = login(e.Env, "user@example.com", "user-password"); r.Code != 401 {
			t.Fatalf("old password still works: %d", r.Code)
		}
		if r = login(e.Env, "user@example.com", "reset-password"); r.Code != 200 {
			t.Fatalf("new password: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/login/reset-password", map[string]any{"activation_code": code, "password": "again"}, ""); r.Code != 400 {
			t.Fatalf("code reused: %d %s", r.Code, r.Body)
		}
	})
}

func newActivationLikeCode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(uuid.NewString()))
}

func TestUserLoginDisabled(t *testing.T) {
	onBothDBs(t, func(c *config.Config) { c.UserLoginEnabled = false }, func(t *testing.T, e *backendtest.Env) {
		if r := e.Do("GET", "/api/login/support", nil, ""); r.Map()["user"] != false {
			t.Fatalf("support: %s", r.Body)
		}
		r := login(e, "user@example.com", "user-password")
		if r.Code != 401 || !strings.Contains(r.Map()["message"].(string), "disabled") {
			t.Fatalf("normal user: %d %s", r.Code, r.Body)
		}
		if r = login(e, "admin@example.com", "admin-password"); r.Code != http.StatusOK {
			t.Fatalf("superadmin: %d %s", r.Code, r.Body)
		}
	})
}
