package backend_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// verifyingIDP is a minimal OIDC provider whose ID tokens carry the
// email_verified flag a test chooses. It is kept apart from the OAuth
// tests' provider so this check does not depend on their fixtures.
type verifyingIDP struct {
	*httptest.Server
	key      *rsa.PrivateKey
	mu       sync.Mutex
	nonces   map[string]string // code -> nonce
	email    string
	verified bool
}

func newVerifyingIDP(t *testing.T) *verifyingIDP {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &verifyingIDP{key: key, nonces: map[string]string{}}
	mux := http.NewServeMux()
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	send := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		send(w, map[string]any{"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize", "token_endpoint": p.URL + "/token",
			"jwks_uri": p.URL + "/jwks", "userinfo_endpoint": p.URL + "/userinfo", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) {
		send(w, map[string]any{"keys": []any{map[string]any{"kty": "RSA", "kid": "v1", "alg": "RS256", "use": "sig",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()), "e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}}})
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		p.mu.Lock()
		nonce, ok := p.nonces[r.PostForm.Get("code")]
		email, verified := p.email, p.verified
		p.mu.Unlock()
		if !ok {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": p.URL, "aud": "cid", "sub": "s-" + email, "email": email,
			"email_verified": verified, "name": "Someone", "nonce": nonce, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})
		tok.Header["kid"] = "v1"
		signed, err := tok.SignedString(key)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		send(w, map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600, "id_token": signed})
	})
	return p
}

// TestMatrixOIDCUnverifiedEmail: an OIDC account whose provider does not
// vouch for its e-mail (email_verified false) must not log in as the local
// account with that address, least of all the superadmin's. The same flow
// with the address verified logs in, so the refusal is the flag's doing.
func TestMatrixOIDCUnverifiedEmail(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		idp := newVerifyingIDP(t)
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) {
			c.OAuth.OIDC = config.OIDC{IssuerURL: idp.URL, ClientID: "cid", ClientSecret: "sec", Scopes: "openid email profile", Name: "Corp"}
		}})
		login := func(code, email string, verified bool) (*backendtest.Response, *url.URL) {
			t.Helper()
			r := e.Do("GET", "/api/login/auth/oidc", nil, "")
			loc, err := url.Parse(r.Header().Get("Location"))
			if r.Code != 302 || err != nil {
				t.Fatalf("start: %d %v", r.Code, r.Header())
			}
			q := loc.Query()
			idp.mu.Lock()
			idp.nonces[code], idp.email, idp.verified = q.Get("nonce"), email, verified
			idp.mu.Unlock()
			req := httptest.NewRequest("GET", "/api/login/auth/oidc?code="+code+"&state="+url.QueryEscape(q.Get("state")), nil)
			for _, c := range (&http.Response{Header: http.Header{"Set-Cookie": r.Header()["Set-Cookie"]}}).Cookies() {
				req.AddCookie(c)
			}
			cb := e.Serve(req)
			back, _ := url.Parse(cb.Header().Get("Location"))
			return cb, back
		}
		if cb, back := login("c1", "someone@example.com", true); cb.Code != 302 || back == nil || back.Query().Get("token") == "" {
			t.Fatalf("verified e-mail does not log in (the harness is broken): %d %s %v", cb.Code, cb.Body, cb.Header())
		}
		cb, back := login("c2", e.Admin.Email, false)
		if back != nil && back.Query().Get("token") != "" {
			t.Fatalf("an unverified %s logged in: %v", e.Admin.Email, back)
		}
		if cb.Code == 200 && json.Valid(cb.Body.Bytes()) && len(cb.Body.String()) > 0 && cb.Body.String()[0] == '{' {
			var m map[string]any
			_ = json.Unmarshal(cb.Body.Bytes(), &m)
			if m["token"] != nil {
				t.Fatalf("an unverified %s got a token: %s", e.Admin.Email, cb.Body)
			}
		}
	})
}
