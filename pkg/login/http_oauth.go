package login

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

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
			h.Fail(c, apperr.BadRequest("Bad Request"))
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
	u, jwt, err := h.svc.loginExternal(ctx, s.name, s.label, id)
	if err != nil {
		var f *failure
		if errors.As(err, &f) {
			h.failLogin(c, s.name, s.label, err)
			return
		}
		h.Fail(c, err)
		return
	}
	if f.Mode == modePopup {
		h.popupPage(c, gin.H{"email": u.Email, "name": u.Name, "token": jwt})
		return
	}
	h.redirectToFrontend(c, u, jwt)
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

// failLogin logs why a provider login failed and sends the browser back to
// the UI's login page with the readable reason (?st=error&msg=…, the query
// the page already reads for the activation result), instead of leaving it
// on a bare JSON error.
func (h *Handler) failLogin(c *gin.Context, provider, label string, err error) {
	h.Log.WarnContext(c.Request.Context(), "external login failed", "provider", provider, "error", err)
	reason := fmt.Sprintf(reasonFailed, label)
	var f *failure
	if errors.As(err, &f) {
		reason = f.Reason
	}
	c.Header("Cache-Control", "no-store")
	q := url.Values{"st": {"error"}, "msg": {reason}}
	c.Redirect(http.StatusFound, h.cfg.FrontendURL+"/login?"+q.Encode())
}
