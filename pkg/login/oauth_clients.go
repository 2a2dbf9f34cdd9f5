package login

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net/http"

	"github.com/coreos/go-oidc/v3/oidc"

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
