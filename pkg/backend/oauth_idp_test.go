package backend_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// fakeIDP is a real HTTP peer playing every provider the login supports:
// an authorization endpoint that signs the current account in and redirects
// back with a code, token endpoints that check client, redirect URI and
// PKCE and mint ID tokens with the authorize request's nonce, OIDC
// discovery and keys, OIDC/Keycloak userinfo, GitHub's /user and
// /user/emails, GitLab's /api/v4/user.
type fakeIDP struct {
	*httptest.Server
	t   *testing.T
	key *rsa.PrivateKey

	mu     sync.Mutex
	grants map[string]grant
	// The account signed in at the provider.
	email, name string
	// verified is the provider's word on the e-mail; omitVerified leaves
	// the claim out of OIDC answers.
	verified, omitVerified bool
	// wrongNonce makes ID tokens carry another nonce than requested.
	wrongNonce bool
	// ignorePKCE plays a provider without PKCE support: the challenge is
	// not checked, so only the state protects the callback.
	ignorePKCE bool
}

// grant is what an authorization code was issued for.
type grant struct {
	nonce, challenge, redirect, email string
	openID                            bool
}

func newFakeIDP(t *testing.T) *fakeIDP {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeIDP{t: t, key: key, grants: map[string]grant{}, email: "octo@example.com", name: "Octo Cat", verified: true}
	mux := http.NewServeMux()
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{"issuer": f.URL, "authorization_endpoint": f.URL + "/authorize",
			"token_endpoint": f.URL + "/token", "jwks_uri": f.URL + "/jwks", "userinfo_endpoint": f.URL + "/userinfo",
			"id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	jwks := func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{"keys": []any{map[string]any{"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}}})
	}
	mux.HandleFunc("/jwks", jwks)
	mux.HandleFunc("/realms/r/protocol/openid-connect/certs", jwks)
	for _, p := range []string{"/authorize", "/oauth/authorize", "/google/authorize", "/realms/r/protocol/openid-connect/auth"} {
		mux.HandleFunc(p, f.authorize)
	}
	for p, iss := range map[string]string{"/token": "", "/oauth/token": "", "/google/token": "https://accounts.google.com",
		"/realms/r/protocol/openid-connect/token": "/realms/r"} {
		mux.HandleFunc(p, f.token(iss))
	}
	userinfo := func(w http.ResponseWriter, r *http.Request) {
		g, ok := f.bearer(w, r)
		if !ok {
			return
		}
		m := map[string]any{"sub": "sub-" + g.email, "email": g.email, "name": f.name}
		if !f.omitVerified {
			m["email_verified"] = f.verified
		}
		writeJSON(w, m)
	}
	mux.HandleFunc("/userinfo", userinfo)
	mux.HandleFunc("/realms/r/protocol/openid-connect/userinfo", userinfo)
	mux.HandleFunc("/user", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := f.bearer(w, r); ok {
			writeJSON(w, map[string]any{"login": "octo", "name": nil, "email": nil})
		}
	})
	mux.HandleFunc("/user/emails", func(w http.ResponseWriter, r *http.Request) {
		if g, ok := f.bearer(w, r); ok {
			writeJSON(w, []any{map[string]any{"email": "other@example.com", "primary": false, "verified": true},
				map[string]any{"email": g.email, "primary": true, "verified": f.verified}})
		}
	})
	mux.HandleFunc("/api/v4/user", func(w http.ResponseWriter, r *http.Request) {
		if g, ok := f.bearer(w, r); ok {
			m := map[string]any{"username": "octo", "name": f.name, "email": g.email, "confirmed_at": nil}
			if f.verified {
				m["confirmed_at"] = "2024-01-02T03:04:05Z"
			}
			writeJSON(w, m)
		}
	})
	return f
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// set changes the account signed in at the provider.
func (f *fakeIDP) set(email string, verified bool) {
	f.mu.Lock()
	f.email, f.verified = email, verified
	f.mu.Unlock()
}

// authorize signs the current account in and redirects to redirect_uri
// with a fresh code and the request's state, as a provider does.
func (f *fakeIDP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != "cid" || q.Get("response_type") != "code" || q.Get("redirect_uri") == "" {
		http.Error(w, "bad authorize request", http.StatusBadRequest)
		return
	}
	code := "code-" + randomHex(f.t)
	f.mu.Lock()
	f.grants[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"),
		email: f.email, openID: strings.Contains(q.Get("scope"), "openid")}
	f.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	bq := back.Query()
	bq.Set("code", code)
	if s := q.Get("state"); s != "" {
		bq.Set("state", s)
	}
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token redeems a code once; issuer "" is the server's own URL, a path is
// joined to it.
func (f *fakeIDP) token(issuer string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		code := r.PostForm.Get("code")
		clientID := r.PostForm.Get("client_id")
		if id, _, ok := r.BasicAuth(); ok {
			clientID = id
		}
		f.mu.Lock()
		g, ok := f.grants[code]
		delete(f.grants, code) // a code is good once
		f.mu.Unlock()
		if !ok || clientID != "cid" || r.PostForm.Get("redirect_uri") != g.redirect {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		if g.challenge != "" && !f.ignorePKCE { // PKCE: S256(verifier) must equal the challenge
			sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
			if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
				http.Error(w, `{"error":"invalid_grant","error_description":"pkce"}`, http.StatusBadRequest)
				return
			}
		}
		access := "at-" + randomHex(f.t)
		f.mu.Lock()
		f.grants[access] = g
		f.mu.Unlock()
		resp := map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600}
		if g.openID {
			iss := issuer
			if iss == "" || strings.HasPrefix(iss, "/") {
				iss = f.URL + iss
			}
			nonce := g.nonce
			if f.wrongNonce {
				nonce = "not-the-flow-nonce"
			}
			resp["id_token"] = f.idToken(iss, g.email, nonce)
		}
		writeJSON(w, resp)
	}
}

func (f *fakeIDP) bearer(w http.ResponseWriter, r *http.Request) (grant, bool) {
	f.mu.Lock()
	g, ok := f.grants[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	f.mu.Unlock()
	if !ok {
		http.Error(w, "no", http.StatusUnauthorized)
	}
	return g, ok
}

func (f *fakeIDP) idToken(iss, email, nonce string) string {
	claims := jwt.MapClaims{"iss": iss, "aud": "cid", "sub": "sub-" + email, "email": email, "name": f.name,
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
	if !f.omitVerified {
		claims["email_verified"] = f.verified
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(f.key)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func randomHex(t *testing.T) string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// browser is one person's browser: it keeps the backend's cookies and
// follows the provider's redirect by itself.
type browser struct {
	t   *testing.T
	e   *backendtest.Env
	jar *cookiejar.Jar
}

// backendOrigin is the BACKEND_URL origin the test config uses.
const backendOrigin = "http://127.0.0.1:8080"

func newBrowser(t *testing.T, e *backendtest.Env) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, e: e, jar: jar}
}

// get requests a backend path (with query) carrying this browser's cookies.
func (b *browser) get(pathQuery string) *backendtest.Response {
	b.t.Helper()
	u, err := url.Parse(backendOrigin + pathQuery)
	if err != nil {
		b.t.Fatal(err)
	}
	req := httptest.NewRequest("GET", pathQuery, nil)
	for _, c := range b.jar.Cookies(u) {
		req.AddCookie(c)
	}
	r := b.e.Serve(req)
	b.jar.SetCookies(u, (&http.Response{Header: r.Header()}).Cookies())
	return r
}

// start begins a provider login and returns the provider's authorize URL.
func (b *browser) start(provider, mode string) *url.URL {
	b.t.Helper()
	r := b.get("/api/login/auth/" + provider + "?mode=" + mode)
	loc, err := url.Parse(r.Header().Get("Location"))
	if r.Code != http.StatusFound || err != nil {
		b.t.Fatalf("start %s: %d %s %v", provider, r.Code, r.Body, r.Header())
	}
	return loc
}

// atProvider follows the authorize URL at the provider and returns the
// callback path+query the provider sends the browser back to.
func atProvider(t *testing.T, authorize *url.URL) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authorize.String())
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), backendOrigin+"/api/login/auth/") {
		t.Fatalf("provider did not redirect back: %d %v", resp.StatusCode, resp.Header)
	}
	return loc.RequestURI()
}

// outcome reads where a callback sent the browser: the session token of a
// success, or the reason shown on the login page.
func outcome(t *testing.T, r *backendtest.Response) (token, reason string) {
	t.Helper()
	loc, err := url.Parse(r.Header().Get("Location"))
	if r.Code != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), "http://127.0.0.1:3000/login?") {
		t.Fatalf("callback did not return to the login page: %d %s %v", r.Code, r.Body, r.Header())
	}
	q := loc.Query()
	if q.Get("token") == "" && (q.Get("st") != "error" || q.Get("msg") == "") {
		t.Fatalf("callback redirect has neither a session nor an error: %s", loc)
	}
	return q.Get("token"), q.Get("msg")
}
