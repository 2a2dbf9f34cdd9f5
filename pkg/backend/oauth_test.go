package backend_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ibutsu-go/ibutsu/pkg/backend/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// fakeIdP is an OAuth2/OIDC provider good enough for the login flows:
// discovery, JWKS, authorization codes with PKCE, userinfo, GitHub-style
// user and e-mail endpoints, Keycloak realm endpoints.
type fakeIdP struct {
	*httptest.Server
	key *rsa.PrivateKey
	mu  sync.Mutex
	// codes maps an authorization code to its nonce and PKCE challenge.
	codes map[string][2]string
	// email is what the userinfo/user endpoints report.
	email, name string
}

func newFakeIdP(t *testing.T) *fakeIdP {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeIdP{key: key, codes: map[string][2]string{}, email: "octo@example.com", name: "Octo Cat"}
	mux := http.NewServeMux()
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	writeJSON := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{"issuer": f.URL, "authorization_endpoint": f.URL + "/authorize",
			"token_endpoint": f.URL + "/token", "jwks_uri": f.URL + "/jwks", "userinfo_endpoint": f.URL + "/userinfo",
			"id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{"keys": []any{map[string]any{"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}}})
	})
	token := func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		code := r.PostForm.Get("code")
		f.mu.Lock()
		entry, ok := f.codes[code]
		f.mu.Unlock()
		if !ok || r.PostForm.Get("client_id") != "cid" {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		if entry[1] != "" { // PKCE: S256(verifier) must equal the challenge
			sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
			if base64.RawURLEncoding.EncodeToString(sum[:]) != entry[1] {
				http.Error(w, `{"error":"invalid_grant","error_description":"pkce"}`, http.StatusBadRequest)
				return
			}
		}
		resp := map[string]any{"access_token": "at-" + code, "token_type": "Bearer", "expires_in": 3600}
		if entry[0] != "" {
			resp["id_token"] = f.idToken(t, f.URL, "cid", entry[0])
		}
		writeJSON(w, resp)
	}
	mux.HandleFunc("/token", token)
	mux.HandleFunc("/realms/r/protocol/openid-connect/token", token)
	userinfo := func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer at-") {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		writeJSON(w, map[string]any{"sub": "s1", "email": f.email, "name": f.name})
	}
	mux.HandleFunc("/userinfo", userinfo)
	mux.HandleFunc("/realms/r/protocol/openid-connect/userinfo", userinfo)
	mux.HandleFunc("/user", func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer at-") {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		writeJSON(w, map[string]any{"login": "octo", "name": nil, "email": nil})
	})
	mux.HandleFunc("/user/emails", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, []any{map[string]any{"email": "other@example.com", "primary": false}, map[string]any{"email": f.email, "primary": true}})
	})
	return f
}

func (f *fakeIdP) addCode(code, nonce, challenge string) {
	f.mu.Lock()
	f.codes[code] = [2]string{nonce, challenge}
	f.mu.Unlock()
}

func (f *fakeIdP) idToken(t *testing.T, iss, aud, nonce string) string {
	claims := jwt.MapClaims{"iss": iss, "aud": aud, "sub": "s1", "email": f.email, "name": f.name,
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(f.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOAuthGitHubPopup(t *testing.T) {
	idp := newFakeIdP(t)
	e := backendtest.New(t, backendtest.Options{SQLite: true, Configure: func(c *config.Config) {
		c.OAuth.GitHub = config.OAuthProvider{ClientID: "cid", ClientSecret: "sec", TokenURL: idp.URL + "/token",
			UserURL: idp.URL + "/user", EmailURL: idp.URL + "/user/emails"}
	}})
	if r := e.Do("GET", "/api/login/support", nil, ""); r.Map()["github"] != true {
		t.Fatalf("support: %s", r.Body)
	}
	r := e.Do("GET", "/api/login/config/github", nil, "")
	cfg := r.Map()
	if cfg["client_id"] != "cid" || cfg["scope"] != "user" || cfg["redirect_uri"] != "http://127.0.0.1:8080/api/login/auth/github" ||
		cfg["authorization_url"] != "https://github.com/login/oauth/authorize" || strings.Contains(r.Body.String(), "sec") {
		t.Fatalf("config: %s", r.Body)
	}
	if r = e.Do("GET", "/api/login/auth/github", nil, ""); r.Code != 400 {
		t.Fatalf("no code: %d", r.Code)
	}
	if r = e.Do("GET", "/api/login/auth/github?code=unknown", nil, ""); r.Code != 401 {
		t.Fatalf("bad code: %d %s", r.Code, r.Body)
	}
	idp.addCode("c1", "", "")
	r = e.Do("GET", "/api/login/auth/github?code=c1", nil, "")
	if r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/html") || !strings.Contains(r.Body.String(), "deliverResult") {
		t.Fatalf("callback: %d %s", r.Code, r.Body)
	}
	// The page's script runs under a nonce policy and answers only the UI's origin.
	csp := r.Header().Get("Content-Security-Policy")
	nonce := strings.TrimSuffix(strings.TrimPrefix(csp[strings.Index(csp, "'nonce-"):], "'nonce-"), "'; frame-ancestors 'none'")
	if !strings.Contains(csp, "script-src 'nonce-") || !strings.Contains(r.Body.String(), `<script nonce="`+nonce+`">`) {
		t.Fatalf("popup CSP %q does not allow exactly its script: %s", csp, r.Body)
	}
	if !strings.Contains(r.Body.String(), `event.origin === "http://127.0.0.1:3000"`) || strings.Contains(r.Body.String(), `"*"`) {
		t.Fatalf("popup must answer only the frontend origin: %s", r.Body)
	}
	jwt := regexpToken(t, r.Body.String())
	if r = e.Do("GET", "/api/user", nil, jwt); r.Code != 200 || r.Map()["email"] != "octo@example.com" || r.Map()["name"] != "octo" || r.Map()["is_active"] != true {
		t.Fatalf("created user: %d %s", r.Code, r.Body)
	}
	// Unknown providers get the generic shape without a client id.
	if r = e.Do("GET", "/api/login/config/nope", nil, ""); r.Code != 200 || r.Map()["client_id"] != nil || r.Map()["scope"] != "" {
		t.Fatalf("unknown provider config: %s", r.Body)
	}
	if r = e.Do("GET", "/api/login/auth/nope?code=x", nil, ""); r.Code != 401 {
		t.Fatalf("unknown provider callback: %d", r.Code)
	}
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

func TestOAuthKeycloakRedirect(t *testing.T) {
	idp := newFakeIdP(t)
	e := backendtest.New(t, backendtest.Options{SQLite: true, Configure: func(c *config.Config) {
		c.OAuth.Keycloak = config.Keycloak{ClientID: "cid", BaseURL: idp.URL, Realm: "r", Name: "Corp SSO"}
	}})
	r := e.Do("GET", "/api/login/config/keycloak", nil, "")
	kc := r.Map()
	if kc["server_url"] != idp.URL || kc["authorization_url"] != idp.URL+"/realms/r/protocol/openid-connect/auth" ||
		kc["redirect_uri"] != "http://127.0.0.1:8080/api/login/auth/keycloak" || kc["display_name"] != "Corp SSO" {
		t.Fatalf("keycloak config: %s", r.Body)
	}
	idp.addCode("k1", "", "")
	r = e.Do("GET", "/api/login/auth/keycloak?code=k1", nil, "")
	loc, _ := url.Parse(r.Header().Get("Location"))
	if r.Code != 302 || loc == nil || !strings.HasPrefix(loc.String(), "http://127.0.0.1:3000/login?") || loc.Query().Get("email") != "octo@example.com" || loc.Query().Get("name") != "Octo Cat" {
		t.Fatalf("keycloak callback: %d %v", r.Code, r.Header())
	}
	if r = e.Do("GET", "/api/user", nil, loc.Query().Get("token")); r.Code != 200 {
		t.Fatalf("keycloak token: %d", r.Code)
	}
}

func TestOAuthGoogleIDToken(t *testing.T) {
	idp := newFakeIdP(t)
	e := backendtest.New(t, backendtest.Options{SQLite: true, Configure: func(c *config.Config) {
		c.OAuth.Google = config.OAuthProvider{ClientID: "cid"}
		c.OAuth.GoogleCertsURL = idp.URL + "/jwks"
	}})
	good := idp.idToken(t, "https://accounts.google.com", "cid", "")
	r := e.Do("GET", "/api/login/auth/google?code="+good, nil, "")
	if r.Code != 200 || r.Map()["email"] != "octo@example.com" {
		t.Fatalf("google: %d %s", r.Code, r.Body)
	}
	for name, bad := range map[string]string{
		"wrong audience": idp.idToken(t, "https://accounts.google.com", "other", ""),
		"wrong issuer":   idp.idToken(t, "https://evil.example.com", "cid", ""),
		"garbage":        "not-a-token",
	} {
		if r = e.Do("GET", "/api/login/auth/google?code="+bad, nil, ""); r.Code != 401 {
			t.Errorf("%s: %d %s", name, r.Code, r.Body)
		}
	}
}

func TestOIDCFlow(t *testing.T) {
	idp := newFakeIdP(t)
	e := backendtest.New(t, backendtest.Options{SQLite: true, Configure: func(c *config.Config) {
		c.OAuth.OIDC = config.OIDC{IssuerURL: idp.URL, ClientID: "cid", ClientSecret: "sec", Scopes: "openid email profile", Name: "Corp"}
	}})
	if r := e.Do("GET", "/api/login/support", nil, ""); r.Map()["oidc"] != true {
		t.Fatalf("support: %s", r.Body)
	}
	if r := e.Do("GET", "/api/login/config/oidc", nil, ""); r.Map()["authorization_url"] != "http://127.0.0.1:8080/api/login/auth/oidc" || strings.Contains(r.Body.String(), "sec") {
		t.Fatalf("config: %s", r.Body)
	}
	start := func() (cookie *http.Cookie, q url.Values) {
		r := e.Do("GET", "/api/login/auth/oidc", nil, "")
		loc, err := url.Parse(r.Header().Get("Location"))
		if r.Code != 302 || err != nil || !strings.HasPrefix(loc.String(), idp.URL+"/authorize?") {
			t.Fatalf("start: %d %v", r.Code, r.Header())
		}
		q = loc.Query()
		if q.Get("state") == "" || q.Get("nonce") == "" || q.Get("code_challenge_method") != "S256" || q.Get("client_id") != "cid" {
			t.Fatalf("authorize request: %v", q)
		}
		res := http.Response{Header: http.Header{"Set-Cookie": r.Header()["Set-Cookie"]}}
		for _, c := range res.Cookies() {
			if c.Name == "ibutsu_oidc" && c.HttpOnly {
				cookie = c
			}
		}
		if cookie == nil {
			t.Fatalf("no flow cookie: %v", r.Header())
		}
		return cookie, q
	}
	callback := func(query string, cookie *http.Cookie) *backendtest.Response {
		req := httptest.NewRequest("GET", "/api/login/auth/oidc?"+query, nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		return e.Serve(req)
	}
	cookie, q := start()
	idp.addCode("o1", q.Get("nonce"), q.Get("code_challenge"))
	// Forged state, missing cookie and provider errors are refused.
	if r := callback("code=o1&state=forged", cookie); r.Code != 401 {
		t.Fatalf("forged state: %d %s", r.Code, r.Body)
	}
	if r := callback("code=o1&state="+q.Get("state"), nil); r.Code != 401 {
		t.Fatalf("no cookie: %d", r.Code)
	}
	if r := callback("error=access_denied&state="+q.Get("state"), cookie); r.Code != 401 {
		t.Fatalf("idp error: %d", r.Code)
	}
	tampered := *cookie
	tampered.Value = "x" + cookie.Value[1:]
	if r := callback("code=o1&state="+q.Get("state"), &tampered); r.Code != 401 {
		t.Fatalf("tampered cookie: %d", r.Code)
	}
	r := callback("code=o1&state="+q.Get("state"), cookie)
	loc, _ := url.Parse(r.Header().Get("Location"))
	if r.Code != 302 || loc == nil || loc.Query().Get("email") != "octo@example.com" {
		t.Fatalf("callback: %d %s %v", r.Code, r.Body, r.Header())
	}
	if r = e.Do("GET", "/api/user", nil, loc.Query().Get("token")); r.Code != 200 || r.Map()["name"] != "Octo Cat" {
		t.Fatalf("oidc token: %d %s", r.Code, r.Body)
	}
	// A code issued for another flow's nonce fails the nonce check.
	cookie2, q2 := start()
	idp.addCode("o2", "other-nonce", q2.Get("code_challenge"))
	if r = callback("code=o2&state="+q2.Get("state"), cookie2); r.Code != 401 {
		t.Fatalf("nonce mismatch: %d", r.Code)
	}
	// A wrong PKCE verifier (cookie of another flow with the right state is
	// impossible, so pair code o3's challenge with flow 2's verifier).
	cookie3, q3 := start()
	idp.addCode("o3", q3.Get("nonce"), q2.Get("code_challenge"))
	if r = callback("code=o3&state="+q3.Get("state"), cookie3); r.Code != 401 {
		t.Fatalf("pkce mismatch: %d", r.Code)
	}
}
