package login

import (
	"context"
	"fmt"
	"net/http"

	"golang.org/x/oauth2"
)

// flowSpec is how one provider's authorization-code flow runs: its client
// and endpoints, whether it speaks OpenID Connect (then a nonce goes along),
// how the callback answers by default, and how the identity is read.
type flowSpec struct {
	name, label string
	defaultMode string
	oauth       oauth2.Config
	client      *http.Client
	openID      bool
	identity    func(ctx context.Context, tok *oauth2.Token, f loginFlow) (identity, error)
}

// openIDScopes ask an OpenID Connect provider for an ID token with the
// e-mail and its verified flag.
var openIDScopes = []string{"openid", "email", "profile"}

// providerLabel is the provider's name on the login page and in its
// messages: KEYCLOAK_NAME and OIDC_NAME when configured.
func (h *Handler) providerLabel(name string) string {
	switch name {
	case "keycloak":
		if n := h.cfg.OAuth.Keycloak.Name; n != "" {
			return n
		}
		return "Keycloak"
	case "oidc":
		if n := h.cfg.OAuth.OIDC.Name; n != "" {
			return n
		}
		return "Single sign-on"
	case "github":
		return "GitHub"
	case "gitlab":
		return "GitLab"
	case "google":
		return "Google"
	}
	return name
}

// flowSpec describes the flow of provider name. It always returns a spec
// with name and label, also with an error (errNotConfigured, or a failure
// when the OIDC issuer cannot be discovered).
func (h *Handler) flowSpec(ctx context.Context, name string) (*flowSpec, error) {
	s := &flowSpec{name: name, label: h.providerLabel(name), defaultMode: modeRedirect, client: h.oauth.http}
	redirect := h.apiBase() + "/login/auth/" + name
	switch name {
	case "github", "gitlab":
		ep, _ := h.resolve(name)
		if ep.clientID == "" {
			return s, errNotConfigured
		}
		s.defaultMode = modePopup
		s.oauth = oauth2.Config{ClientID: ep.clientID, ClientSecret: ep.clientSecret, RedirectURL: redirect,
			Endpoint: oauth2.Endpoint{AuthURL: ep.authURL, TokenURL: ep.tokenURL, AuthStyle: oauth2.AuthStyleInParams},
			Scopes:   providers[name].scope}
		if name == "github" {
			s.identity = func(ctx context.Context, tok *oauth2.Token, _ loginFlow) (identity, error) {
				return h.githubIdentity(ctx, s, ep, tok)
			}
		} else {
			s.identity = func(ctx context.Context, tok *oauth2.Token, _ loginFlow) (identity, error) {
				return h.gitlabIdentity(ctx, s, ep, tok)
			}
		}
	case "google":
		ep, _ := h.resolve(name)
		if ep.clientID == "" || h.oauth.google == nil {
			return s, errNotConfigured
		}
		s.openID = true
		s.oauth = oauth2.Config{ClientID: ep.clientID, ClientSecret: ep.clientSecret, RedirectURL: redirect,
			Endpoint: oauth2.Endpoint{AuthURL: ep.authURL, TokenURL: ep.tokenURL, AuthStyle: oauth2.AuthStyleInParams},
			Scopes:   openIDScopes}
		s.identity = func(ctx context.Context, tok *oauth2.Token, f loginFlow) (identity, error) {
			return h.googleIdentity(ctx, s, tok, f)
		}
	case "keycloak":
		if !h.keycloakEnabled() || h.oauth.keycloak == nil {
			return s, errNotConfigured
		}
		k := h.cfg.OAuth.Keycloak
		if k.VerifySSLSet && !k.VerifySSL {
			s.client = h.oauth.insecure
		}
		base := keycloakRealmURL(k) + "/protocol/openid-connect"
		s.openID = true
		s.oauth = oauth2.Config{ClientID: k.ClientID, ClientSecret: k.ClientSecret, RedirectURL: redirect,
			Endpoint: oauth2.Endpoint{AuthURL: base + "/auth", TokenURL: base + "/token", AuthStyle: oauth2.AuthStyleInParams},
			Scopes:   openIDScopes}
		s.identity = func(ctx context.Context, tok *oauth2.Token, f loginFlow) (identity, error) {
			return h.keycloakIdentity(ctx, s, base+"/userinfo", tok, f)
		}
	case "oidc":
		p := h.oauth.oidc
		if p == nil {
			return s, errNotConfigured
		}
		prov, err := p.get(ctx)
		if err != nil {
			return s, failf(fmt.Sprintf(reasonUnreachable, s.label), "%w", err)
		}
		s.openID = true
		s.oauth = p.oauth2Config(prov, redirect)
		s.identity = func(ctx context.Context, tok *oauth2.Token, f loginFlow) (identity, error) {
			return p.identity(ctx, s, prov, tok, f)
		}
	default:
		return s, errNotConfigured
	}
	return s, nil
}
