package login

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// errNotConfigured means the provider named in the URL is unknown or has no
// client configured.
var errNotConfigured = errors.New("login provider is not configured")

// oauthClients are the long-lived clients of the providers: HTTP clients
// with timeouts, the cached signing keys of Google and Keycloak, the
// discovered OIDC provider.
type oauthClients struct {
	http, insecure *http.Client
	google         *oidc.IDTokenVerifier
	keycloak       *oidc.IDTokenVerifier
	oidc           *oidcProvider
}

func newOAuthClients(cfg config.OAuth, log *slog.Logger) *oauthClients {
	c := &oauthClients{
		http: &http.Client{Timeout: cfg.HTTPTimeout},
		insecure: &http.Client{Timeout: cfg.HTTPTimeout, Transport: &http.Transport{
			Proxy:           http.ProxyFromEnvironment,
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // KEYCLOAK_VERIFY_SSL=false asks for it
		}},
	}
	if cfg.Google.ClientID != "" {
		ctx := oidc.ClientContext(context.Background(), c.http)
		keys := oidc.NewRemoteKeySet(ctx, cfg.GoogleCertsURL)
		// Google issues both spellings of its issuer; checked by hand.
		c.google = oidc.NewVerifier("https://accounts.google.com", keys, &oidc.Config{ClientID: cfg.Google.ClientID, SkipIssuerCheck: true})
	}
	if k := cfg.Keycloak; k.ClientID != "" && k.BaseURL != "" {
		client := c.http
		if cfg.Keycloak.VerifySSLSet && !cfg.Keycloak.VerifySSL {
			client = c.insecure
		}
		certs := keycloakRealmURL(k) + "/protocol/openid-connect/certs"
		keys := oidc.NewRemoteKeySet(oidc.ClientContext(context.Background(), client), certs)
		// The realm's issuer carries the host name Keycloak was reached by
		// from the browser, which may differ from KEYCLOAK_BASE_URL; the
		// signature, audience, expiry and nonce are what bind the token.
		c.keycloak = oidc.NewVerifier("", keys, &oidc.Config{ClientID: cfg.Keycloak.ClientID, SkipIssuerCheck: true})
	}
	if cfg.OIDC.IssuerURL != "" && cfg.OIDC.ClientID != "" {
		c.oidc = &oidcProvider{cfg: cfg.OIDC, client: c.http, log: log}
	}
	return c
}

// identity is what a provider tells us about the person logging in.
// EmailVerified is true only when the provider vouches that the person
// controls Email (a verified flag or its verified-address API).
type identity struct {
	Email, Name   string
	EmailVerified bool
}

// auth serves /login/auth/{provider} for GitHub, GitLab, Google, Keycloak
// and OIDC. Without code, state or error it starts the flow: it keeps a new
// state, nonce and PKCE verifier in this browser's flow cookie and sends the
// browser to the provider. With them it is the callback registered at the
// provider: it checks the state against the cookie, redeems the code with
// the verifier, checks the nonce, reads an e-mail the provider vouches for
// and logs that account in. Every failure returns the browser to the login
// page with a readable reason.
func (h *Handler) auth(c *gin.Context) {
	name := c.Param("provider")
	code, state, idpErr := c.Query("code"), c.Query("state"), c.Query("error")
	s, err := h.flowSpec(c.Request.Context(), name)
	if code == "" && state == "" && idpErr == "" {
		if errors.Is(err, errNotConfigured) {
			// A bare request for a provider without a client is a bad
			// request (upstream's answer), not a browser flow to finish.
			h.fail(c, apperr.BadRequest("Bad Request"))
			return
		}
		if err != nil {
			h.failLogin(c, name, s.label, err)
			return
		}
		h.startFlow(c, s)
		return
	}
	// The flow is over whatever happens next: a state is good once. (No
	// cookie path is built from a provider name we do not serve.)
	if !errors.Is(err, errNotConfigured) {
		h.setFlowCookie(c, name, "", -1)
	}
	if errors.Is(err, errNotConfigured) {
		err = failf(reasonUnavailable, "%w: %q", err, name)
	}
	if err != nil {
		h.failLogin(c, name, s.label, err)
		return
	}
	id, f, err := h.callback(c, s, code, state, idpErr)
	if err != nil {
		h.failLogin(c, name, s.label, err)
		return
	}
	h.finish(c, s, f, id)
}

// startFlow redirects to the provider's authorization endpoint. The mode
// query (redirect or popup) picks how the callback answers; the default is
// upstream's for the provider, so upstream's popup windows, which open
// config's authorization_url, get the page they expect.
func (h *Handler) startFlow(c *gin.Context, s *flowSpec) {
	mode := c.Query("mode")
	if mode != modeRedirect && mode != modePopup {
		mode = s.defaultMode
	}
	f := loginFlow{Provider: s.name, State: randomString(), Verifier: oauth2.GenerateVerifier(), Mode: mode,
		Expires: time.Now().Add(flowTTL).Unix()}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(f.Verifier)}
	if s.openID {
		f.Nonce = randomString()
		opts = append(opts, oidc.Nonce(f.Nonce))
	}
	h.setFlowCookie(c, s.name, h.encodeFlow(f), int(flowTTL/time.Second))
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusFound, s.oauth.AuthCodeURL(f.State, opts...))
}

// callback checks what the provider sent back and turns it into the
// identity of a flow this browser started.
func (h *Handler) callback(c *gin.Context, s *flowSpec, code, state, idpErr string) (identity, loginFlow, error) {
	ctx := c.Request.Context()
	f, ok := h.checkState(c, s.name, state)
	if !ok {
		return identity{}, f, failf(reasonState, "state missing, forged or expired, or no flow cookie")
	}
	if idpErr != "" {
		return identity{}, f, failf(fmt.Sprintf(reasonDenied, s.label), "provider answered error %q: %s", idpErr, c.Query("error_description"))
	}
	if code == "" {
		return identity{}, f, failf(fmt.Sprintf(reasonFailed, s.label), "callback without code")
	}
	tok, err := s.oauth.Exchange(oidc.ClientContext(ctx, s.client), code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return identity{}, f, failf(fmt.Sprintf(reasonFailed, s.label), "token exchange: %w", err)
	}
	id, err := s.identity(ctx, tok, f)
	return id, f, err
}

// finish logs the identity in and answers in the flow's mode.
func (h *Handler) finish(c *gin.Context, s *flowSpec, f loginFlow, id identity) {
	ctx := c.Request.Context()
	u, jwt, err := h.loginExternal(ctx, s, id)
	if err != nil {
		var f *failure
		if errors.As(err, &f) {
			h.failLogin(c, s.name, s.label, err)
			return
		}
		h.fail(c, err)
		return
	}
	if f.Mode == modePopup {
		h.popupPage(c, gin.H{"email": u.Email, "name": u.Name, "token": jwt})
		return
	}
	h.redirectToFrontend(c, u, jwt)
}

// loginExternal finds the account for a provider identity, creating an
// active normal user for an unknown e-mail, and logs it in. The e-mail
// decides which account this is, so it must be one the provider vouches
// for: otherwise anyone could add our superadmin's address, unverified, to
// a provider account and be logged in as them — or pre-create an account
// for someone else's address and keep a token to it.
func (h *Handler) loginExternal(ctx context.Context, s *flowSpec, id identity) (*model.User, string, error) {
	if !id.EmailVerified {
		return nil, "", failf(fmt.Sprintf(reasonUnverified, s.label), "e-mail %q is not verified by %s", id.Email, s.name)
	}
	u, err := h.users.ByEmail(ctx, id.Email)
	if errors.Is(err, auth.ErrUserNotFound) {
		// A placeholder that is not a bcrypt hash: password login never matches it.
		placeholder := "external:" + s.name
		u = &model.User{Email: id.Email, Password: &placeholder, IsActive: true, IsSuperadmin: false}
		if id.Name != "" {
			u.Name = &id.Name
		}
		err = h.users.Create(ctx, u)
	}
	if err != nil {
		return nil, "", err
	}
	if !u.IsActive {
		return nil, "", failf(reasonInactive, "account %s is inactive", u.ID)
	}
	jwt, err := h.issueLogin(ctx, u)
	return u, jwt, err
}

// redirectToFrontend sends the browser to the UI's login page with the
// session in the query, which the page stores (upstream's Keycloak answer).
func (h *Handler) redirectToFrontend(c *gin.Context, u *model.User, jwt string) {
	name := ""
	if u.Name != nil {
		name = *u.Name
	}
	q := url.Values{"email": {u.Email}, "name": {name}, "token": {jwt}}
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusFound, h.cfg.FrontendURL+"/login?"+q.Encode())
}

// popupTemplate answers the popup window of the GitHub/GitLab flow: it
// hands the session to the opener when asked (upstream's AUTH_WINDOW), but
// only to a window of the UI's own origin (upstream answers any origin, so
// any page that opened the popup could read the token).
var popupTemplate = template.Must(template.New("popup").Parse(`<html>
<head></head>
<body>
  <script nonce="{{.Nonce}}">
      window.addEventListener("message", function (event) {
        if (event.origin === {{.Origin}} && event.data && event.data.message === "requestResult") {
          event.source.postMessage({"message": "deliverResult", result: {{.Result}} }, {{.Origin}});
        }
      });
  </script>
</body>
</html>`))

// popupPage writes the popup page with its own Content-Security-Policy:
// the server-wide policy forbids inline scripts, so this one allows exactly
// the page's script by a per-response nonce.
func (h *Handler) popupPage(c *gin.Context, result gin.H) {
	nonce := make([]byte, 18)
	_, _ = rand.Read(nonce) // crypto/rand never fails on supported platforms
	// URL-safe alphabet: no "+" for html/template to escape in the attribute.
	n := base64.RawURLEncoding.EncodeToString(nonce)
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+n+"'; frame-ancestors 'none'")
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	_ = popupTemplate.Execute(c.Writer, struct {
		Nonce, Origin string
		Result        gin.H
	}{n, frontendOrigin(h.cfg.FrontendURL), result})
}

// frontendOrigin is scheme://host[:port] of the UI's URL.
func frontendOrigin(frontend string) string {
	u, err := url.Parse(frontend)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return frontend
	}
	return u.Scheme + "://" + u.Host
}
