package backend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// allProviders are the provider flows the login runs itself.
var allProviders = []string{"github", "gitlab", "google", "keycloak", "oidc"}

// oauthBackend configures every provider against idp.
func oauthBackend(t *testing.T, idp *fakeIDP, sqlite bool) *backendtest.Env {
	return backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) {
		c.OAuth.GitHub = config.OAuthProvider{ClientID: "cid", ClientSecret: "sec", AuthURL: idp.URL + "/authorize",
			TokenURL: idp.URL + "/token", UserURL: idp.URL + "/user", EmailURL: idp.URL + "/user/emails"}
		c.OAuth.GitLab = config.OAuthProvider{ClientID: "cid", ClientSecret: "sec", BaseURL: idp.URL}
		c.OAuth.Google = config.OAuthProvider{ClientID: "cid", ClientSecret: "sec", AuthURL: idp.URL + "/google/authorize",
			TokenURL: idp.URL + "/google/token"}
		c.OAuth.GoogleCertsURL = idp.URL + "/jwks"
		c.OAuth.Keycloak = config.Keycloak{ClientID: "cid", ClientSecret: "sec", BaseURL: idp.URL, Realm: "r", Name: "Corp SSO"}
		c.OAuth.OIDC = config.OIDC{IssuerURL: idp.URL, ClientID: "cid", ClientSecret: "sec", Scopes: "openid email profile", Name: "Acme ID"}
	}})
}

// loginTokenRows counts the login-token rows of a user in the database.
func loginTokenRows(t *testing.T, e *backendtest.Env, u *model.User) int64 {
	t.Helper()
	var n int64
	if err := e.App.DB.Conn(context.Background()).Model(&model.Token{}).
		Where("user_id = ? AND name = ?", u.ID, "login-token").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOAuthAuthorizeRequestCarriesStateNonceAndPKCE: every provider's start
// sends state and an S256 PKCE challenge (plus a nonce to the OpenID
// Connect ones) and sets the HttpOnly flow cookie for its callback only.
func TestOAuthAuthorizeRequestCarriesStateNonceAndPKCE(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		idp := newFakeIDP(t)
		e := oauthBackend(t, idp, sqlite)
		for _, p := range allProviders {
			b := newBrowser(t, e)
			r := b.get("/api/login/auth/" + p)
			loc, _ := url.Parse(r.Header().Get("Location"))
			if r.Code != http.StatusFound || loc == nil || !strings.HasPrefix(loc.String(), idp.URL+"/") {
				t.Fatalf("%s start: %d %v", p, r.Code, r.Header())
			}
			q := loc.Query()
			if len(q.Get("state")) < 32 || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" ||
				q.Get("redirect_uri") != backendOrigin+"/api/login/auth/"+p {
				t.Errorf("%s authorize request lacks state/PKCE: %v", p, q)
			}
			if wantNonce := p != "github" && p != "gitlab"; wantNonce != (q.Get("nonce") != "") {
				t.Errorf("%s nonce: %v", p, q)
			}
			cookies := (&http.Response{Header: r.Header()}).Cookies()
			if len(cookies) != 1 || cookies[0].Name != "ibutsu_login_flow" || !cookies[0].HttpOnly ||
				cookies[0].Path != "/api/login/auth/"+p || cookies[0].SameSite != http.SameSiteLaxMode {
				t.Errorf("%s flow cookie: %v", p, r.Header()["Set-Cookie"])
			}
		}
	})
}

// TestOAuthLoginCSRFRefused: a callback URL the attacker obtained for their
// own provider account logs nobody in when another browser opens it —
// neither one without a flow nor one with its own flow in progress, nor with
// a state the server signed for another browser — and no account is created
// for the attacker's address. The provider here does not check PKCE (as
// GitHub did not for years), so the state and its cookie are the only guard.
func TestOAuthLoginCSRFRefused(t *testing.T) {
	idp := newFakeIDP(t)
	idp.ignorePKCE = true
	e := oauthBackend(t, idp, false)
	ctx := context.Background()
	for _, p := range allProviders {
		attackerEmail := "attacker-" + p + "@example.com"
		idp.set(attackerEmail, true)
		attacker := newBrowser(t, e)
		authorize := attacker.start(p, "redirect")

		victim := newBrowser(t, e)
		if tok, reason := outcome(t, victim.get(atProvider(t, authorize))); tok != "" || !strings.Contains(reason, "not started from this browser") {
			t.Errorf("%s: callback without a flow: token=%q reason=%q", p, tok, reason)
		}
		victim.start(p, "redirect") // the victim's own flow, with another state
		if tok, _ := outcome(t, victim.get(atProvider(t, authorize))); tok != "" {
			t.Errorf("%s: the attacker's callback finished the victim's flow", p)
		}
		// A state the server signed is no use without its browser's cookie.
		victim.start(p, "redirect")
		other := newBrowser(t, e).start(p, "redirect")
		forged := withState(t, atProvider(t, authorize), other.Query().Get("state"))
		if tok, _ := outcome(t, victim.get(forged)); tok != "" {
			t.Errorf("%s: a state of another browser's flow was accepted", p)
		}
		if _, err := e.App.Users.ByEmail(ctx, attackerEmail); err == nil {
			t.Errorf("%s: an account was created for %s by a refused callback", p, attackerEmail)
		}
		// The attacker's own browser completes its flow, once.
		callback := atProvider(t, authorize)
		tok, reason := outcome(t, attacker.get(callback))
		if tok == "" {
			t.Fatalf("%s: own flow refused: %s", p, reason)
		}
		if r := e.Do("GET", "/api/user", nil, tok); r.Code != 200 || r.Map()["email"] != attackerEmail {
			t.Errorf("%s: session: %d %s", p, r.Code, r.Body)
		}
		if tok, _ := outcome(t, attacker.get(atProvider(t, authorize))); tok != "" {
			t.Errorf("%s: a flow was finished twice", p)
		}
	}
}

// withState replaces the state of a callback path+query.
func withState(t *testing.T, callback, state string) string {
	u, err := url.Parse(callback)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("state", state)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// TestOAuthUnverifiedEmailRefused: a provider account whose e-mail the
// provider does not vouch for — even our superadmin's address — logs
// nobody in and creates nothing; once verified, the same address is linked
// to the existing account.
func TestOAuthUnverifiedEmailRefused(t *testing.T) {
	for _, db := range []struct {
		name   string
		sqlite bool
	}{{"postgres", false}, {"sqlite", true}} {
		t.Run(db.name, func(t *testing.T) {
			idp := newFakeIDP(t)
			e := oauthBackend(t, idp, db.sqlite)
			ctx := context.Background()
			login := func(p string) (string, string) {
				b := newBrowser(t, e)
				return outcome(t, b.get(atProvider(t, b.start(p, "redirect"))))
			}
			for _, p := range allProviders {
				idp.set(e.Admin.Email, false)
				if tok, reason := login(p); tok != "" || !strings.Contains(reason, "has not verified your e-mail") {
					t.Errorf("%s: unverified superadmin address: token=%q reason=%q", p, tok, reason)
				}
				if n := loginTokenRows(t, e, e.Admin); n != 0 {
					t.Fatalf("%s: the superadmin got %d login-token rows from an unverified address", p, n)
				}
				idp.set("newcomer-"+p+"@example.com", false)
				if tok, _ := login(p); tok != "" {
					t.Errorf("%s: unverified new address logged in", p)
				}
				if _, err := e.App.Users.ByEmail(ctx, "newcomer-"+p+"@example.com"); err == nil {
					t.Errorf("%s: an account was created for an unverified address", p)
				}
			}
			// OpenID Connect providers that send no email_verified have not vouched.
			idp.omitVerified = true
			idp.set(e.Admin.Email, true)
			for _, p := range []string{"google", "keycloak", "oidc"} {
				if tok, _ := login(p); tok != "" {
					t.Errorf("%s: e-mail without email_verified claim accepted", p)
				}
			}
			idp.omitVerified = false
			for _, p := range allProviders {
				idp.set(e.Admin.Email, true)
				tok, reason := login(p)
				if r := e.Do("GET", "/api/user", nil, tok); tok == "" || r.Code != 200 || r.Map()["email"] != e.Admin.Email || r.Map()["is_superadmin"] != true {
					t.Errorf("%s: verified address not linked to its account: %q %d %s", p, reason, r.Code, r.Body)
				}
			}
			if n := loginTokenRows(t, e, e.Admin); n != 1 {
				t.Errorf("login-token rows of the superadmin: %d", n)
			}
		})
	}
}

// TestOAuthNewAccountAndReasons: a verified unknown address gets an active
// normal account; a refused sign-in, a wrong nonce and a deactivated account
// return the browser to the login page with a reason it can read.
func TestOAuthNewAccountAndReasons(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		idp := newFakeIDP(t)
		e := oauthBackend(t, idp, sqlite)
		ctx := context.Background()
		for _, p := range allProviders {
			email := "new-" + p + "@example.com"
			idp.set(email, true)
			b := newBrowser(t, e)
			tok, reason := outcome(t, b.get(atProvider(t, b.start(p, "redirect"))))
			u, err := e.App.Users.ByEmail(ctx, email)
			if tok == "" || err != nil || !u.IsActive || u.IsSuperadmin {
				t.Fatalf("%s: new account: %q %v %+v", p, reason, err, u)
			}

			b = newBrowser(t, e)
			start := b.start(p, "redirect")
			denied := "/api/login/auth/" + p + "?error=access_denied&state=" + url.QueryEscape(start.Query().Get("state"))
			if _, reason := outcome(t, b.get(denied)); !strings.Contains(reason, "cancelled or refused") {
				t.Errorf("%s: provider error reason %q", p, reason)
			}

			u.IsActive = false
			if err := e.App.Users.Save(ctx, u); err != nil {
				t.Fatal(err)
			}
			b = newBrowser(t, e)
			if tok, reason := outcome(t, b.get(atProvider(t, b.start(p, "redirect")))); tok != "" || reason != "User account is inactive" {
				t.Errorf("%s: inactive account: %q %q", p, tok, reason)
			}
		}
		idp.wrongNonce = true
		idp.set("nonce@example.com", true)
		for _, p := range []string{"google", "keycloak", "oidc"} {
			b := newBrowser(t, e)
			if tok, _ := outcome(t, b.get(atProvider(t, b.start(p, "redirect")))); tok != "" {
				t.Errorf("%s: ID token with another flow's nonce accepted", p)
			}
		}
	})
}

// TestOAuthPKCEVerifierChecked: the code is redeemed with the verifier of
// the flow in the cookie, so a code obtained for another flow's challenge
// fails at the provider even with a matching state.
func TestOAuthPKCEVerifierChecked(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		idp := newFakeIDP(t)
		e := oauthBackend(t, idp, sqlite)
		for _, p := range allProviders {
			a, b := newBrowser(t, e), newBrowser(t, e)
			startA, startB := a.start(p, "redirect"), b.start(p, "redirect")
			// The provider issues a code bound to A's challenge but the redirect
			// carries B's state: B's cookie verifier does not match.
			q := startA.Query()
			q.Set("state", startB.Query().Get("state"))
			startA.RawQuery = q.Encode()
			if tok, _ := outcome(t, b.get(atProvider(t, startA))); tok != "" {
				t.Errorf("%s: code redeemed without its PKCE verifier", p)
			}
		}
	})
}

// TestOAuthConfigLabelsAndStart: config hands out our start URL as
// authorization_url (so upstream's popups run the checked flow too) and the
// configured names; the popup mode answers upstream's popup page, only to
// the UI's origin.
func TestOAuthConfigLabelsAndStart(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		idp := newFakeIDP(t)
		e := oauthBackend(t, idp, sqlite)
		if r := e.Do("GET", "/api/login/support", nil, ""); r.Code != 200 || r.Map()["oidc"] != true || r.Map()["keycloak"] != true {
			t.Fatalf("support: %s", r.Body)
		}
		labels := map[string]string{"github": "GitHub", "gitlab": "GitLab", "google": "Google", "keycloak": "Corp SSO", "oidc": "Acme ID"}
		for p, label := range labels {
			r := e.Do("GET", "/api/login/config/"+p, nil, "")
			m := r.Map()
			if m["authorization_url"] != backendOrigin+"/api/login/auth/"+p || m["redirect_uri"] != backendOrigin+"/api/login/auth/"+p ||
				m["display_name"] != label || m["client_id"] != "cid" || strings.Contains(r.Body.String(), "sec") {
				t.Errorf("%s config: %s", p, r.Body)
			}
		}
		// Without KEYCLOAK_NAME the config has no display_name (upstream's shape).
		e2 := backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) {
			c.OAuth.Keycloak = config.Keycloak{ClientID: "cid", BaseURL: idp.URL, Realm: "r"}
		}})
		if r := e2.Do("GET", "/api/login/config/keycloak", nil, ""); r.Code != 200 || r.Map()["display_name"] != nil || r.Map()["authorization_url"] == nil {
			t.Errorf("keycloak config without a name: %s", r.Body)
		}
		// Unknown providers keep the generic shape without a client id.
		if r := e.Do("GET", "/api/login/config/nope", nil, ""); r.Code != 200 || r.Map()["client_id"] != nil || r.Map()["scope"] != "" {
			t.Fatalf("unknown provider config: %s", r.Body)
		}
		if r := e.Do("GET", "/api/login/auth/nope", nil, ""); r.Code != 400 {
			t.Fatalf("unknown provider start: %d", r.Code)
		}
		if _, reason := outcome(t, e.Do("GET", "/api/login/auth/facebook?code=x&state=y", nil, "")); reason != "This sign-in method is not available." {
			t.Fatalf("callback of a provider without a flow: %q", reason)
		}

		// Upstream's GitHub popup opens authorization_url with its own query.
		b := newBrowser(t, e)
		r := b.get("/api/login/auth/github?client_id=cid&redirect_uri=x&scope=user&response_type=code")
		authorize, _ := url.Parse(r.Header().Get("Location"))
		if r.Code != http.StatusFound || authorize == nil {
			t.Fatalf("popup start: %d", r.Code)
		}
		idp.set("popup@example.com", true)
		r = b.get(atProvider(t, authorize))
		if r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/html") || !strings.Contains(r.Body.String(), "deliverResult") {
			t.Fatalf("popup callback: %d %s", r.Code, r.Body)
		}
		csp := r.Header().Get("Content-Security-Policy")
		nonce := strings.TrimSuffix(strings.TrimPrefix(csp[strings.Index(csp, "'nonce-"):], "'nonce-"), "'; frame-ancestors 'none'")
		if !strings.Contains(csp, "script-src 'nonce-") || !strings.Contains(r.Body.String(), `<script nonce="`+nonce+`">`) {
			t.Fatalf("popup CSP %q does not allow exactly its script: %s", csp, r.Body)
		}
		if !strings.Contains(r.Body.String(), `event.origin === "http://127.0.0.1:3000"`) || strings.Contains(r.Body.String(), `"*"`) {
			t.Fatalf("popup must answer only the frontend origin: %s", r.Body)
		}
		jwt := regexpToken(t, r.Body.String())
		if r = e.Do("GET", "/api/user", nil, jwt); r.Code != 200 || r.Map()["email"] != "popup@example.com" || r.Map()["name"] != "octo" {
			t.Fatalf("popup session: %d %s", r.Code, r.Body)
		}
		// Keycloak's default answer is upstream's redirect with the session.
		b = newBrowser(t, e)
		r = b.get("/api/login/auth/keycloak")
		authorize, _ = url.Parse(r.Header().Get("Location"))
		if tok, reason := outcome(t, b.get(atProvider(t, authorize))); tok == "" {
			t.Fatalf("keycloak default mode: %s", reason)
		}
	})
}

func regexpToken(t *testing.T, page string) string {
	t.Helper()
	i := strings.Index(page, `"token":"`)
	if i < 0 {
		t.Fatalf("no token in %s", page)
	}
	rest := page[i+len(`"token":"`):]
	return rest[:strings.Index(rest, `"`)]
}
