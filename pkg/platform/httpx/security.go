package httpx

import "github.com/gin-gonic/gin"

// ContentSecurityPolicy suits the React single-page UI and Swagger UI as this
// server serves them: scripts, styles, fonts and API calls from its own
// origin only (styles may be inline: PatternFly and Swagger UI set style
// attributes), images also as data: and blob: URLs, no plugins, and no
// framing by anyone (clickjacking).
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
	"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

// SecurityHeaders sets the browser hardening headers on every response:
// nosniff (so a JSON body or an uploaded artifact is never run as a script
// or a page), frame denial, no referrer leaking to other origins, and the
// Content-Security-Policy. They cost nothing on API responses and protect
// the HTML ones (web UI, Swagger UI) wherever they are routed from,
// including the NoRoute fallback that serves the UI.
func SecurityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		c.Next()
	}
}
