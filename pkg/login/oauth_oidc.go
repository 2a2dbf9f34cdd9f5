package login

import (
	"context"
	"crypto/hmac"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

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
		return nil, fmt.Errorf("oidc discovery at %s: %w", p.cfg.IssuerURL, err)
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

// oidcIdentity verifies the ID token (signature by the issuer's keys,
// issuer, audience, expiry) and its nonce, and reads the e-mail with its
// email_verified claim — from the ID token, or from userinfo when the token
// carries no e-mail (the userinfo subject must then be the token's).
func (p *oidcProvider) identity(ctx context.Context, s *flowSpec, prov *oidc.Provider, tok *oauth2.Token, f loginFlow) (identity, error) {
	failed := fmt.Sprintf(reasonFailed, s.label)
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return identity{}, failf(failed, "no id_token in the token response")
	}
	cctx := oidc.ClientContext(ctx, p.client)
	idTok, err := prov.Verifier(&oidc.Config{ClientID: p.cfg.ClientID}).Verify(cctx, raw)
	if err != nil {
		return identity{}, failf(failed, "id token: %w", err)
	}
	if !hmac.Equal([]byte(idTok.Nonce), []byte(f.Nonce)) {
		return identity{}, failf(failed, "id token nonce mismatch")
	}
	var claims emailClaims
	if err := idTok.Claims(&claims); err != nil {
		return identity{}, failf(failed, "id token claims: %w", err)
	}
	if claims.Email == "" {
		info, err := prov.UserInfo(cctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return identity{}, failf(failed, "userinfo: %w", err)
		}
		if info.Subject != idTok.Subject {
			return identity{}, failf(failed, "userinfo subject differs from the id token's")
		}
		claims = emailClaims{}
		if err := info.Claims(&claims); err != nil {
			return identity{}, failf(failed, "userinfo claims: %w", err)
		}
	}
	return claims.identity(s)
}
