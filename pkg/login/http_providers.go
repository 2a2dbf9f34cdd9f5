package login

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// provider is an OAuth provider's well-known endpoints (upstream's
// OAUTH_CONFIG); relative URLs are joined to <P>_BASE_URL.
type provider struct {
	scope                                []string
	sep                                  string
	authURL, tokenURL, userURL, emailURL string
}

var providers = map[string]provider{
	"google": {scope: []string{"https://www.googleapis.com/auth/userinfo.profile"},
		authURL: "https://accounts.google.com/o/oauth2/v2/auth", tokenURL: "https://oauth2.googleapis.com/token",
		userURL: "https://www.googleapis.com/oauth2/v1/userinfo?alt=json"},
	"github": {scope: []string{"user"},
		authURL: "https://github.com/login/oauth/authorize", tokenURL: "https://github.com/login/oauth/access_token",
		userURL: "https://api.github.com/user", emailURL: "https://api.github.com/user/emails"},
	"gitlab": {scope: []string{"read_user"}, sep: "+",
		authURL: "/oauth/authorize", tokenURL: "/oauth/token", userURL: "/api/v4/user"},
	"facebook": {scope: []string{"email", "public_profile"},
		authURL: "https://www.facebook.com/v11.0/dialog/oauth", tokenURL: "https://graph.facebook.com/v11.0/oauth/access_token"},
}

// buildURL joins a relative path to base; absolute URLs stand alone.
func buildURL(base, path string) string {
	if path == "" || strings.Contains(path, "://") || base == "" {
		return path
	}
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(path, "/")
}

// endpoints are one provider's effective URLs and client.
type endpoints struct {
	clientID, clientSecret               string
	authURL, tokenURL, userURL, emailURL string
}

// resolve applies the <P>_* overrides to a provider's defaults.
func (h *Handler) resolve(name string) (endpoints, bool) {
	def, known := providers[name]
	var o config.OAuthProvider
	switch name {
	case "google":
		o = h.cfg.OAuth.Google
	case "github":
		o = h.cfg.OAuth.GitHub
	case "gitlab":
		o = h.cfg.OAuth.GitLab
	}
	pick := func(override, fallback string) string {
		if override != "" {
			return buildURL(o.BaseURL, override)
		}
		return buildURL(o.BaseURL, fallback)
	}
	return endpoints{
		clientID: o.ClientID, clientSecret: o.ClientSecret,
		authURL: pick(o.AuthURL, def.authURL), tokenURL: pick(o.TokenURL, def.tokenURL),
		userURL: pick(o.UserURL, def.userURL), emailURL: pick(o.EmailURL, def.emailURL),
	}, known
}

func (h *Handler) keycloakEnabled() bool {
	k := h.cfg.OAuth.Keycloak
	return k.ClientID != "" && k.BaseURL != ""
}

func (h *Handler) oidcEnabled() bool {
	o := h.cfg.OAuth.OIDC
	return o.IssuerURL != "" && o.ClientID != ""
}

// support answers which login methods the UI should offer. The six
// upstream keys are always present; `oidc` is added only when a generic
// OIDC provider is configured.
func (h *Handler) support(c *gin.Context) {
	o := h.cfg.OAuth
	out := gin.H{
		"user":     h.cfg.UserLoginEnabled,
		"keycloak": h.keycloakEnabled(),
		"google":   o.Google.ClientID != "",
		"github":   o.GitHub.ClientID != "",
		"facebook": o.FacebookAppID != "",
		"gitlab":   o.GitLab.ClientID != "",
	}
	if h.oidcEnabled() {
		out["oidc"] = true
	}
	httpx.JSON(c, http.StatusOK, out)
}

// config answers the public settings the UI needs to start a provider's
// flow; secrets and server-side URLs are never included.
func (h *Handler) config(c *gin.Context) {
	name := c.Param("provider")
	switch name {
	case "keycloak":
		httpx.JSON(c, http.StatusOK, h.keycloakConfig())
		return
	case "oidc":
		httpx.JSON(c, http.StatusOK, h.oidcConfig())
		return
	}
	ep, known := h.resolve(name)
	def := providers[name]
	sep := def.sep
	if sep == "" {
		sep = " "
	}
	out := gin.H{"redirect_uri": h.apiBase() + "/login/auth/" + name, "scope": strings.Join(def.scope, sep)}
	if name == "facebook" {
		out["app_id"] = nullIfEmpty(h.cfg.OAuth.FacebookAppID)
	} else {
		out["client_id"] = nullIfEmpty(ep.clientID)
	}
	switch {
	case name == "github" || name == "gitlab" || name == "google":
		out["authorization_url"] = h.startURL(name)
		out["display_name"] = h.providerLabel(name)
	case known && ep.authURL != "":
		out["authorization_url"] = ep.authURL
	}
	httpx.JSON(c, http.StatusOK, out)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// keycloakServerURL is KEYCLOAK_BASE_URL plus KEYCLOAK_AUTH_PATH when given.
func keycloakServerURL(k config.Keycloak) string {
	u := strings.TrimRight(k.BaseURL, "/")
	if p := strings.Trim(k.AuthPath, "/"); p != "" && !strings.HasSuffix(u, "/"+p) {
		u += "/" + p
	}
	return u
}

func keycloakRealmURL(k config.Keycloak) string {
	return keycloakServerURL(k) + "/realms/" + k.Realm
}

func (h *Handler) keycloakConfig() gin.H {
	if !h.keycloakEnabled() {
		return gin.H{}
	}
	k := h.cfg.OAuth.Keycloak
	out := gin.H{
		"server_url":        keycloakServerURL(k),
		"authorization_url": h.startURL("keycloak"),
		"realm":             k.Realm,
		"client_id":         k.ClientID,
		"redirect_uri":      h.apiBase() + "/login/auth/keycloak",
	}
	if k.Icon != "" {
		out["icon"] = k.Icon
	}
	if k.Name != "" { // upstream's shape: only when KEYCLOAK_NAME is set
		out["display_name"] = k.Name
	}
	if k.VerifySSLSet {
		out["verify_ssl"] = k.VerifySSL
	}
	return out
}

// oidcConfig describes the generic OIDC login: the UI sends the browser to
// authorization_url, our own start endpoint, which redirects on to the
// provider with state, nonce and a PKCE challenge.
func (h *Handler) oidcConfig() gin.H {
	if !h.oidcEnabled() {
		return gin.H{}
	}
	o := h.cfg.OAuth.OIDC
	start := h.startURL("oidc")
	return gin.H{"authorization_url": start, "redirect_uri": start, "client_id": o.ClientID,
		"scope": o.Scopes, "issuer": o.IssuerURL, "display_name": h.providerLabel("oidc")}
}

// startURL is where a browser begins a provider's login: our own
// /login/auth/{provider}, which keeps state, nonce and PKCE verifier in the
// browser's flow cookie and redirects on to the provider. config hands it out
// as authorization_url, so upstream's popup windows (which open that URL and
// only append client_id, redirect_uri, scope and response_type, ignored
// here) run the same checked flow.
func (h *Handler) startURL(provider string) string {
	return h.apiBase() + "/login/auth/" + provider
}
