package login

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// oidcProvider is the generic OpenID Connect provider, discovered from its
// issuer URL on first use (and again after a failed discovery).
type oidcProvider struct {
	cfg    config.OIDC
	client *http.Client
	log    *slog.Logger

	mu       sync.Mutex
	provider *oidc.Provider
}

func (p *oidcProvider) get(ctx context.Context) (*oidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.provider != nil {
		return p.provider, nil
	}
	// The provider keeps this context for fetching signing keys later, so
	// it must outlive the request.
	pctx := oidc.ClientContext(context.WithoutCancel(ctx), p.client)
	prov, err := oidc.NewProvider(pctx, p.cfg.IssuerURL)
	if err != nil {
		return nil, fmt.Errorf("%w: oidc discovery at %s: %w", errNoUser, p.cfg.IssuerURL, err)
	}
	p.provider = prov
	return prov, nil
}

func (p *oidcProvider) oauth2Config(prov *oidc.Provider, redirect string) oauth2.Config {
	scopes := strings.Fields(p.cfg.Scopes)
	hasOpenID := false
	for _, s := range scopes {
		hasOpenID = hasOpenID || s == oidc.ScopeOpenID
	}
	if !hasOpenID {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	return oauth2.Config{ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, RedirectURL: redirect,
		Endpoint: prov.Endpoint(), Scopes: scopes}
}

// oidcCookie carries the flow's state, nonce and PKCE verifier between the
// redirect to the provider and the callback, authenticated with a MAC so
// the browser cannot forge it.
const oidcCookie = "ibutsu_oidc"

const oidcFlowTTL = 10 * time.Minute

type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Expires  int64  `json:"e"`
}

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

func (h *Handler) encodeFlow(f oidcFlow) string {
	raw, _ := json.Marshal(f)
	return base64.RawURLEncoding.EncodeToString(raw) + "." + base64.RawURLEncoding.EncodeToString(h.signer.MAC("oidc-flow", raw))
}

func (h *Handler) decodeFlow(v string) (oidcFlow, bool) {
	var f oidcFlow
	data, mac, ok := strings.Cut(v, ".")
	if !ok {
		return f, false
	}
	raw, err1 := base64.RawURLEncoding.DecodeString(data)
	sum, err2 := base64.RawURLEncoding.DecodeString(mac)
	if err1 != nil || err2 != nil || !hmac.Equal(sum, h.signer.MAC("oidc-flow", raw)) {
		return f, false
	}
	if json.Unmarshal(raw, &f) != nil || time.Now().Unix() > f.Expires {
		return f, false
	}
	return f, true
}

func (h *Handler) setFlowCookie(c *gin.Context, value string, maxAge int) {
	secure := strings.HasPrefix(h.apiBase(), "https://")
	http.SetCookie(c.Writer, &http.Cookie{Name: oidcCookie, Value: value, Path: "/api/login/auth/oidc",
		MaxAge: maxAge, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// oidcAuth is both ends of the generic OIDC flow on one URL (the one
// registered as redirect URI): without `code` or `error` it starts the flow
// and redirects to the provider; with them it is the callback, which checks
// state, redeems the code with the PKCE verifier, verifies the ID token and
// its nonce, and sends the browser to the UI logged in.
func (h *Handler) oidcAuth(c *gin.Context) {
	ctx := c.Request.Context()
	p := h.oauth.oidc
	if p == nil {
		h.fail(c, apperr.NotFound("Not Found"))
		return
	}
	code, state, idpErr := c.Query("code"), c.Query("state"), c.Query("error")
	redirect := h.apiBase() + "/login/auth/oidc"
	if code == "" && idpErr == "" {
		prov, err := p.get(ctx)
		if err != nil {
			h.log.ErrorContext(ctx, "oidc provider unavailable", "error", err)
			h.fail(c, apperr.New(http.StatusBadGateway, "The login provider is not reachable"))
			return
		}
		f := oidcFlow{State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier(), Expires: time.Now().Add(oidcFlowTTL).Unix()}
		h.setFlowCookie(c, h.encodeFlow(f), int(oidcFlowTTL/time.Second))
		oc := p.oauth2Config(prov, redirect)
		c.Redirect(http.StatusFound, oc.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)))
		return
	}
	id, err := h.oidcCallback(c, p, redirect, code, state, idpErr)
	h.setFlowCookie(c, "", -1)
	if err != nil {
		h.log.WarnContext(ctx, "external login failed", "provider", "oidc", "error", err)
		h.fail(c, apperr.Unauthorized())
		return
	}
	u, jwt, err := h.loginExternal(ctx, "oidc", id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.redirectToFrontend(c, u, jwt)
}

func (h *Handler) oidcCallback(c *gin.Context, p *oidcProvider, redirect, code, state, idpErr string) (identity, error) {
	ctx := c.Request.Context()
	if idpErr != "" {
		return identity{}, fmt.Errorf("%w: provider answered error %q", errNoUser, idpErr)
	}
	cookie, err := c.Cookie(oidcCookie)
	if err != nil {
		return identity{}, fmt.Errorf("%w: no login in progress (missing flow cookie)", errNoUser)
	}
	f, ok := h.decodeFlow(cookie)
	if !ok || state == "" || !hmac.Equal([]byte(state), []byte(f.State)) {
		return identity{}, fmt.Errorf("%w: state mismatch", errNoUser)
	}
	prov, err := p.get(ctx)
	if err != nil {
		return identity{}, err
	}
	oc := p.oauth2Config(prov, redirect)
	tok, err := oc.Exchange(oidc.ClientContext(ctx, p.client), code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return identity{}, fmt.Errorf("%w: token exchange: %w", errNoUser, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return identity{}, fmt.Errorf("%w: no id_token in the token response", errNoUser)
	}
	idTok, err := prov.Verifier(&oidc.Config{ClientID: p.cfg.ClientID}).Verify(oidc.ClientContext(ctx, p.client), raw)
	if err != nil {
		return identity{}, fmt.Errorf("%w: id token: %w", errNoUser, err)
	}
	if !hmac.Equal([]byte(idTok.Nonce), []byte(f.Nonce)) {
		return identity{}, fmt.Errorf("%w: nonce mismatch", errNoUser)
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
		Name          string `json:"name"`
	}
	if err := idTok.Claims(&claims); err != nil {
		return identity{}, fmt.Errorf("%w: id token claims: %w", errNoUser, err)
	}
	if claims.Email == "" {
		info, err := prov.UserInfo(oidc.ClientContext(ctx, p.client), oauth2.StaticTokenSource(tok))
		if err != nil {
			return identity{}, fmt.Errorf("%w: userinfo: %w", errNoUser, err)
		}
		if info.Subject != idTok.Subject {
			return identity{}, fmt.Errorf("%w: userinfo subject differs from the id token's", errNoUser)
		}
		claims.Email, claims.EmailVerified = info.Email, &info.EmailVerified
		_ = info.Claims(&struct {
			Name *string `json:"name"`
		}{&claims.Name})
	}
	if claims.EmailVerified != nil && !*claims.EmailVerified {
		return identity{}, fmt.Errorf("%w: e-mail %s is not verified by the provider", errNoUser, claims.Email)
	}
	if !strings.Contains(claims.Email, "@") {
		return identity{}, fmt.Errorf("%w: no e-mail address from the provider", errNoUser)
	}
	return identity{Email: claims.Email, Name: claims.Name}, nil
}
