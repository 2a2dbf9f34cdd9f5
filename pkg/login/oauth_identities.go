package login

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// getJSON fetches a provider API URL with the access token.
func getJSON(ctx context.Context, client *http.Client, u, accessToken string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	defer func() { _ = resp.Body.Close() }() // read side
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	return nil
}

// githubIdentity reads the user and its addresses from GitHub's
// /user/emails, whose `verified` flag is GitHub vouching for the address.
// The public e-mail is used when it is listed there (upstream's choice of
// address), else the primary one.
func (h *Handler) githubIdentity(ctx context.Context, s *flowSpec, ep endpoints, tok *oauth2.Token) (identity, error) {
	failed := fmt.Sprintf(reasonFailed, s.label)
	var user struct {
		Email *string `json:"email"`
		Name  *string `json:"name"`
		Login string  `json:"login"`
	}
	if err := getJSON(ctx, s.client, ep.userURL, tok.AccessToken, &user); err != nil {
		return identity{}, failf(failed, "user: %w", err)
	}
	var emails []struct {
		Email    string `json:"email"`
		Primary  bool   `json:"primary"`
		Verified bool   `json:"verified"`
	}
	if err := getJSON(ctx, s.client, ep.emailURL, tok.AccessToken, &emails); err != nil {
		return identity{}, failf(failed, "emails: %w", err)
	}
	id := identity{Name: user.Login}
	if user.Name != nil && *user.Name != "" {
		id.Name = *user.Name
	}
	public := ""
	if user.Email != nil {
		public = *user.Email
	}
	chosen := -1
	for i, e := range emails {
		if public != "" && strings.EqualFold(e.Email, public) {
			chosen = i
			break
		}
		if e.Primary && chosen < 0 {
			chosen = i
		}
	}
	if chosen < 0 || !strings.Contains(emails[chosen].Email, "@") {
		return identity{}, failf(fmt.Sprintf(reasonNoEmail, s.label), "no public or primary address in /user/emails")
	}
	id.Email, id.EmailVerified = emails[chosen].Email, emails[chosen].Verified
	return id, nil
}

// gitlabIdentity reads GitLab's /api/v4/user: `email` is the primary
// address and `confirmed_at` is set once the user confirmed it.
func (h *Handler) gitlabIdentity(ctx context.Context, s *flowSpec, ep endpoints, tok *oauth2.Token) (identity, error) {
	var user struct {
		Email       string  `json:"email"`
		Name        string  `json:"name"`
		Username    string  `json:"username"`
		ConfirmedAt *string `json:"confirmed_at"`
	}
	if err := getJSON(ctx, s.client, ep.userURL, tok.AccessToken, &user); err != nil {
		return identity{}, failf(fmt.Sprintf(reasonFailed, s.label), "user: %w", err)
	}
	if !strings.Contains(user.Email, "@") {
		return identity{}, failf(fmt.Sprintf(reasonNoEmail, s.label), "no e-mail in /user")
	}
	id := identity{Email: user.Email, Name: user.Name, EmailVerified: user.ConfirmedAt != nil && *user.ConfirmedAt != ""}
	if id.Name == "" {
		id.Name = user.Username
	}
	return id, nil
}

// verifyIDToken checks an ID token from the token endpoint with verifier
// and the flow's nonce.
func verifyIDToken(ctx context.Context, s *flowSpec, verifier *oidc.IDTokenVerifier, tok *oauth2.Token, f loginFlow) (*oidc.IDToken, error) {
	failed := fmt.Sprintf(reasonFailed, s.label)
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, failf(failed, "no id_token in the token response")
	}
	idTok, err := verifier.Verify(oidc.ClientContext(ctx, s.client), raw)
	if err != nil {
		return nil, failf(failed, "id token: %w", err)
	}
	if f.Nonce == "" || !hmac.Equal([]byte(idTok.Nonce), []byte(f.Nonce)) {
		return nil, failf(failed, "id token nonce mismatch")
	}
	return idTok, nil
}

// googleIdentity verifies Google's ID token (Google's keys, audience =
// GOOGLE_CLIENT_ID, issuer, expiry, nonce) and reads email_verified from it.
func (h *Handler) googleIdentity(ctx context.Context, s *flowSpec, tok *oauth2.Token, f loginFlow) (identity, error) {
	idTok, err := verifyIDToken(ctx, s, h.oauth.google, tok, f)
	if err != nil {
		return identity{}, err
	}
	if idTok.Issuer != "https://accounts.google.com" && idTok.Issuer != "accounts.google.com" {
		return identity{}, failf(fmt.Sprintf(reasonFailed, s.label), "google id token issued by %q", idTok.Issuer)
	}
	var claims emailClaims
	if err := idTok.Claims(&claims); err != nil {
		return identity{}, failf(fmt.Sprintf(reasonFailed, s.label), "id token claims: %w", err)
	}
	return claims.identity(s)
}

// keycloakIdentity verifies the realm's ID token (the realm's keys,
// audience, expiry, nonce) and reads e-mail, name and email_verified from
// the realm's userinfo, as upstream reads the user, checking that userinfo
// describes the token's subject.
func (h *Handler) keycloakIdentity(ctx context.Context, s *flowSpec, userinfo string, tok *oauth2.Token, f loginFlow) (identity, error) {
	idTok, err := verifyIDToken(ctx, s, h.oauth.keycloak, tok, f)
	if err != nil {
		return identity{}, err
	}
	var info struct {
		emailClaims
		Sub string `json:"sub"`
	}
	if err := getJSON(ctx, s.client, userinfo, tok.AccessToken, &info); err != nil {
		return identity{}, failf(fmt.Sprintf(reasonFailed, s.label), "userinfo: %w", err)
	}
	if info.Sub == "" || info.Sub != idTok.Subject {
		return identity{}, failf(fmt.Sprintf(reasonFailed, s.label), "%w", errors.New("userinfo subject differs from the id token's"))
	}
	return info.identity(s)
}
