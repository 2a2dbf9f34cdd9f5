package config

import "time"

// Mail is the SMTP server that sends registration and recovery e-mail
// (upstream's Flask-Mail MAIL_* settings). Without a Server the links are
// only logged, as upstream does.
type Mail struct {
	Server, Username, Password string
	Port                       int
	// UseTLS upgrades a plain connection with STARTTLS; UseSSL dials TLS
	// directly (usually port 465).
	UseTLS, UseSSL bool
	// DefaultSender is the From address.
	DefaultSender string
	// Timeout bounds one whole delivery.
	Timeout time.Duration
}

// Enabled reports whether an SMTP server is configured.
func (m Mail) Enabled() bool { return m.Server != "" }

// OAuthProvider is one upstream OAuth provider (google, github, gitlab): its
// client and URL overrides (<P>_CLIENT_ID, <P>_BASE_URL, <P>_AUTH_URL, ...).
// Empty URLs mean the provider's well-known defaults.
type OAuthProvider struct {
	ClientID, ClientSecret                        string
	BaseURL, AuthURL, TokenURL, UserURL, EmailURL string
}

// Keycloak is upstream's Keycloak login (KEYCLOAK_*).
type Keycloak struct {
	ClientID, ClientSecret, BaseURL, AuthPath, Realm, Icon, Name string
	// VerifySSLSet tells whether KEYCLOAK_VERIFY_SSL was given; VerifySSL is its value.
	VerifySSLSet, VerifySSL bool
}

// OIDC is a generic OpenID Connect provider found by discovery from its
// issuer URL; the server runs the whole authorization-code flow with PKCE,
// state and nonce.
type OIDC struct {
	IssuerURL, ClientID, ClientSecret, Scopes, Name string
}

// OAuth configures every external login provider.
type OAuth struct {
	Google, GitHub, GitLab OAuthProvider
	// GoogleCertsURL is where Google's ID-token signing keys are published.
	GoogleCertsURL string
	FacebookAppID  string
	Keycloak       Keycloak
	OIDC           OIDC
	// HTTPTimeout bounds each call to a provider.
	HTTPTimeout time.Duration
}

func (p *parser) mail() Mail {
	return Mail{
		Server:        p.str("mail.server"),
		Port:          p.port("mail.port"),
		Username:      p.str("mail.username"),
		Password:      p.str("mail.password"),
		UseTLS:        p.boolean("mail.use_tls"),
		UseSSL:        p.boolean("mail.use_ssl"),
		DefaultSender: p.str("mail.default_sender"),
		Timeout:       p.dur("mail.timeout"),
	}
}

func (p *parser) oauthProvider(name string) OAuthProvider {
	k := "oauth." + name + "."
	return OAuthProvider{
		ClientID: p.str(k + "client_id"), ClientSecret: p.str(k + "client_secret"),
		BaseURL: p.str(k + "base_url"), AuthURL: p.str(k + "auth_url"),
		TokenURL: p.str(k + "token_url"), UserURL: p.str(k + "user_url"),
	}
}

func (p *parser) oauth() OAuth {
	o := OAuth{
		Google:         p.oauthProvider("google"),
		GitHub:         p.oauthProvider("github"),
		GitLab:         p.oauthProvider("gitlab"),
		GoogleCertsURL: p.str("oauth.google.certs_url"),
		FacebookAppID:  p.str("oauth.facebook.app_id"),
		Keycloak: Keycloak{
			ClientID: p.str("oauth.keycloak.client_id"), ClientSecret: p.str("oauth.keycloak.client_secret"),
			BaseURL: p.str("oauth.keycloak.base_url"), AuthPath: p.str("oauth.keycloak.auth_path"),
			Realm: p.str("oauth.keycloak.realm"), Icon: p.str("oauth.keycloak.icon"), Name: p.str("oauth.keycloak.name"),
			VerifySSLSet: p.str("oauth.keycloak.verify_ssl") != "",
			VerifySSL:    p.boolean("oauth.keycloak.verify_ssl"),
		},
		OIDC: OIDC{
			IssuerURL: p.str("oauth.oidc.issuer_url"), ClientID: p.str("oauth.oidc.client_id"),
			ClientSecret: p.str("oauth.oidc.client_secret"), Scopes: p.str("oauth.oidc.scopes"),
			Name: p.str("oauth.oidc.name"),
		},
		HTTPTimeout: p.dur("oauth.http_timeout"),
	}
	o.GitHub.EmailURL = p.str("oauth.github.email_url")
	return o
}
