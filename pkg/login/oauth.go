package login

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// errNoUser means the provider did not vouch for a usable account; the
// callback answers upstream's 401 "Unauthorized" and logs the cause.
var errNoUser = errors.New("provider did not identify a user")

// oauthClients are the long-lived clients of the providers: HTTP clients
// with timeouts, Google's cached signing keys, the discovered OIDC provider.
type oauthClients struct {
	http, insecure *http.Client
	google         *oidc.IDTokenVerifier
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
		// Google issues both spellings of its issuer; checked by hand below.
		c.google = oidc.NewVerifier("https://accounts.google.com", keys, &oidc.Config{ClientID: cfg.Google.ClientID, SkipIssuerCheck: true})
	}
	if cfg.OIDC.IssuerURL != "" && cfg.OIDC.ClientID != "" {
		c.oidc = &oidcProvider{cfg: cfg.OIDC, client: c.http, log: log}
	}
	return c
}

// identity is what a provider tells us about the person logging in.
type identity struct {
	Email, Name string
}

// auth is the OAuth callback (contract §4.12): it turns the provider's code
// into an identity, finds or creates the account, issues a login token and
// answers in the shape the UI's flow for that provider expects.
func (h *Handler) auth(c *gin.Context) {
	ctx := c.Request.Context()
	name := c.Param("provider")
	if name == "oidc" {
		h.oidcAuth(c)
		return
	}
	code := c.Query("code")
	if code == "" {
		h.fail(c, apperr.BadRequest("Bad Request"))
		return
	}
	var id identity
	var err error
	switch name {
	case "google":
		id, err = h.googleIdentity(ctx, code)
	case "keycloak":
		id, err = h.keycloakIdentity(ctx, code)
	case "github", "gitlab":
		id, err = h.oauthIdentity(ctx, name, code)
	default:
		err = fmt.Errorf("%w: unsupported provider %q", errNoUser, name)
	}
	if err != nil {
		h.log.WarnContext(ctx, "external login failed", "provider", name, "error", err)
		h.fail(c, apperr.Unauthorized())
		return
	}
	u, jwt, err := h.loginExternal(ctx, name, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	result := gin.H{"email": u.Email, "name": u.Name, "token": jwt}
	switch name {
	case "keycloak":
		h.redirectToFrontend(c, u, jwt)
	case "google":
		httpx.JSON(c, http.StatusOK, result)
	default:
		h.popupPage(c, result)
	}
}

// redirectToFrontend sends the browser to the UI's login page with the
// session in the query, which the page stores (keycloak and OIDC flows).
func (h *Handler) redirectToFrontend(c *gin.Context, u *model.User, jwt string) {
	name := ""
	if u.Name != nil {
		name = *u.Name
	}
	q := url.Values{"email": {u.Email}, "name": {name}, "token": {jwt}}
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

// loginExternal finds the account for a provider identity, creating an
// active normal user for an unknown e-mail, and logs it in.
func (h *Handler) loginExternal(ctx context.Context, provider string, id identity) (*model.User, string, error) {
	u, err := h.users.ByEmail(ctx, id.Email)
	if errors.Is(err, auth.ErrUserNotFound) {
		// A placeholder that is not a bcrypt hash: password login never matches it.
		placeholder := "external:" + provider
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
		return nil, "", apperr.Unauthorized()
	}
	jwt, err := h.issueLogin(ctx, u)
	return u, jwt, err
}

// exchange trades an authorization code for an access token the way
// upstream does: form POST with client id (and secret) in the body.
func (h *Handler) exchange(ctx context.Context, client *http.Client, clientID, secret, tokenURL, redirect, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	cfg := oauth2.Config{ClientID: clientID, ClientSecret: secret, RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams}}
	tok, err := cfg.Exchange(oidc.ClientContext(ctx, client), code, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: token exchange: %w", errNoUser, err)
	}
	return tok, nil
}

// getJSON fetches a provider API URL with the access token.
func getJSON(ctx context.Context, client *http.Client, u, accessToken string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("%w: %w", errNoUser, err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: GET %s: %w", errNoUser, u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: GET %s: status %d", errNoUser, u, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return fmt.Errorf("%w: GET %s: %w", errNoUser, u, err)
	}
	return nil
}

// oauthIdentity runs the GitHub/GitLab code exchange and user look-up; a
// GitHub account without a public e-mail gets its primary address.
func (h *Handler) oauthIdentity(ctx context.Context, name, code string) (identity, error) {
	ep, _ := h.resolve(name)
	if ep.clientID == "" {
		return identity{}, fmt.Errorf("%w: provider %s is not configured", errNoUser, name)
	}
	tok, err := h.exchange(ctx, h.oauth.http, ep.clientID, ep.clientSecret, ep.tokenURL, h.apiBase()+"/login/auth/"+name, code)
	if err != nil {
		return identity{}, err
	}
	var info struct {
		Email *string `json:"email"`
		Name  *string `json:"name"`
		Login string  `json:"login"`
	}
	if err := getJSON(ctx, h.oauth.http, ep.userURL, tok.AccessToken, &info); err != nil {
		return identity{}, err
	}
	id := identity{}
	if info.Email != nil {
		id.Email = *info.Email
	}
	if info.Name != nil {
		id.Name = *info.Name
	}
	if id.Name == "" {
		id.Name = info.Login
	}
	if id.Email == "" && ep.emailURL != "" {
		var emails []struct {
			Email   string `json:"email"`
			Primary bool   `json:"primary"`
		}
		if err := getJSON(ctx, h.oauth.http, ep.emailURL, tok.AccessToken, &emails); err != nil {
			return identity{}, err
		}
		for i, e := range emails {
			if e.Primary || (i == 0 && id.Email == "") {
				id.Email = e.Email
			}
		}
	}
	if !strings.Contains(id.Email, "@") {
		return identity{}, fmt.Errorf("%w: no e-mail address from %s", errNoUser, name)
	}
	return id, nil
}

// keycloakIdentity exchanges the code at the realm's token endpoint and
// reads email/name/sub from its userinfo endpoint.
func (h *Handler) keycloakIdentity(ctx context.Context, code string) (identity, error) {
	if !h.keycloakEnabled() {
		return identity{}, fmt.Errorf("%w: keycloak is not configured", errNoUser)
	}
	k := h.cfg.OAuth.Keycloak
	client := h.oauth.http
	if k.VerifySSLSet && !k.VerifySSL {
		client = h.oauth.insecure
	}
	base := h.keycloakRealmURL() + "/protocol/openid-connect"
	tok, err := h.exchange(ctx, client, k.ClientID, k.ClientSecret, base+"/token", h.apiBase()+"/login/auth/keycloak", code)
	if err != nil {
		return identity{}, err
	}
	var info struct {
		Email, Name, Sub string
	}
	if err := getJSON(ctx, client, base+"/userinfo", tok.AccessToken, &info); err != nil {
		return identity{}, err
	}
	if !strings.Contains(info.Email, "@") || info.Sub == "" {
		return identity{}, fmt.Errorf("%w: keycloak userinfo lacks email or sub", errNoUser)
	}
	return identity{Email: info.Email, Name: info.Name}, nil
}

// googleIdentity verifies the Google ID token the browser obtained
// (signature against Google's keys, audience = GOOGLE_CLIENT_ID, expiry).
func (h *Handler) googleIdentity(ctx context.Context, rawIDToken string) (identity, error) {
	if h.oauth.google == nil {
		return identity{}, fmt.Errorf("%w: google is not configured", errNoUser)
	}
	tok, err := h.oauth.google.Verify(ctx, rawIDToken)
	if err != nil {
		return identity{}, fmt.Errorf("%w: google id token: %w", errNoUser, err)
	}
	if tok.Issuer != "https://accounts.google.com" && tok.Issuer != "accounts.google.com" {
		return identity{}, fmt.Errorf("%w: google id token issued by %q", errNoUser, tok.Issuer)
	}
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := tok.Claims(&claims); err != nil || !strings.Contains(claims.Email, "@") {
		return identity{}, fmt.Errorf("%w: google id token without e-mail", errNoUser)
	}
	return identity{Email: claims.Email, Name: claims.Name}, nil
}
