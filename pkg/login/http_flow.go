package login

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// A provider login runs in two requests that may reach different replicas:
// the start (which redirects to the provider) and the callback. What the
// callback must check — the state, the nonce and the PKCE verifier — travels
// in a cookie bound to the browser that started the flow, MAC'd with a key
// derived from the JWT secret every replica shares. Nothing is stored on the
// server. A signed state alone (no cookie) would not do: an attacker could
// start a flow, sign in at the provider as themselves and hand the victim the
// callback URL with a perfectly valid signed state (login CSRF); the cookie
// is what ties the callback to the browser that began it.

// flowCookie is the cookie's name; its path is the provider's callback, so
// flows of different providers in one browser do not overwrite each other.
const flowCookie = "ibutsu_login_flow"

// flowTTL bounds how long a person may take at the provider.
const flowTTL = 10 * time.Minute

// Response modes of a flow's successful end.
const (
	// modeRedirect sends the browser to the UI's login page with the
	// session in the query (upstream's Keycloak answer).
	modeRedirect = "redirect"
	// modePopup answers upstream's popup page, which hands the session to
	// its opener by postMessage (upstream's GitHub/GitLab answer).
	modePopup = "popup"
)

// loginFlow is one flow's secrets, kept in the browser between start and
// callback.
type loginFlow struct {
	Provider string `json:"p"`
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Mode     string `json:"m"`
	Expires  int64  `json:"e"`
}

// randomString is 192 random bits, URL-safe.
func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

const flowMACPurpose = "login-flow"

func (h *Handler) encodeFlow(f loginFlow) string {
	raw, _ := json.Marshal(f)
	return base64.RawURLEncoding.EncodeToString(raw) + "." + base64.RawURLEncoding.EncodeToString(h.signer.MAC(flowMACPurpose, raw))
}

// decodeFlow returns the flow a cookie value carries when its MAC is ours,
// it has not expired and it belongs to provider.
func (h *Handler) decodeFlow(v, provider string) (loginFlow, bool) {
	var f loginFlow
	data, mac, ok := strings.Cut(v, ".")
	if !ok {
		return f, false
	}
	raw, err1 := base64.RawURLEncoding.DecodeString(data)
	sum, err2 := base64.RawURLEncoding.DecodeString(mac)
	if err1 != nil || err2 != nil || !hmac.Equal(sum, h.signer.MAC(flowMACPurpose, raw)) {
		return f, false
	}
	if json.Unmarshal(raw, &f) != nil || time.Now().Unix() > f.Expires || f.Provider != provider {
		return loginFlow{}, false
	}
	return f, true
}

// checkState finds the flow of this browser and compares the callback's
// state with it in constant time.
func (h *Handler) checkState(c *gin.Context, provider, state string) (loginFlow, bool) {
	cookie, err := c.Cookie(flowCookie)
	if err != nil || state == "" {
		return loginFlow{}, false
	}
	f, ok := h.decodeFlow(cookie, provider)
	if !ok || !hmac.Equal([]byte(state), []byte(f.State)) {
		return loginFlow{}, false
	}
	return f, true
}

// setFlowCookie stores (maxAge > 0) or clears (maxAge < 0) a provider's
// flow. SameSite=Lax: the provider's redirect back is a top-level GET, which
// carries Lax cookies, while cross-site subrequests and POSTs do not.
func (h *Handler) setFlowCookie(c *gin.Context, provider, value string, maxAge int) {
	base := h.apiBase()
	path := "/api"
	if u, err := url.Parse(base); err == nil && u.Path != "" {
		path = u.Path
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flowCookie, Value: value, Path: path + "/login/auth/" + provider,
		MaxAge: maxAge, HttpOnly: true, Secure: strings.HasPrefix(base, "https://"), SameSite: http.SameSiteLaxMode})
}
