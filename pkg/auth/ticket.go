package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Tickets are short-lived, signed permissions for one user to open one
// event stream, for clients that cannot send an Authorization header
// (EventSource). A ticket is "<user>.<scope>.<expiry>.<mac>", the MAC an
// HMAC-SHA256 with a key derived from the JWT secret, so every replica
// checks what any replica issued and a ticket is never a bearer token.

// ErrBadTicket covers a ticket that is malformed, forged, expired or for
// another stream.
var ErrBadTicket = errors.New("invalid or expired ticket")

func (s *Signer) ticketMAC(msg string) string {
	k := hmac.New(sha256.New, s.secret)
	k.Write([]byte("ibutsu event ticket v1"))
	m := hmac.New(sha256.New, k.Sum(nil))
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// SignTicket issues a ticket for userID to open scope until exp.
func (s *Signer) SignTicket(userID uuid.UUID, scope string, exp time.Time) string {
	msg := userID.String() + "." + base64.RawURLEncoding.EncodeToString([]byte(scope)) + "." + strconv.FormatInt(exp.Unix(), 10)
	return msg + "." + s.ticketMAC(msg)
}

// VerifyTicket checks a ticket's MAC, expiry and scope and returns its user.
func (s *Signer) VerifyTicket(ticket, scope string) (uuid.UUID, error) {
	parts := strings.Split(ticket, ".")
	if len(parts) != 4 {
		return uuid.Nil, ErrBadTicket
	}
	msg := strings.Join(parts[:3], ".")
	if !hmac.Equal([]byte(parts[3]), []byte(s.ticketMAC(msg))) {
		return uuid.Nil, ErrBadTicket
	}
	uid, err := uuid.Parse(parts[0])
	if err != nil {
		return uuid.Nil, ErrBadTicket
	}
	sc, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || string(sc) != scope {
		return uuid.Nil, ErrBadTicket
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || s.now().Unix() >= exp {
		return uuid.Nil, ErrBadTicket
	}
	return uid, nil
}

// TicketOrBearer authenticates a stream request: with a ticket query
// parameter, by the ticket (which must be for the scope the route names),
// otherwise like Require. The long-lived token is never read from the URL.
func (a *Authenticator) TicketOrBearer(scope func(c *gin.Context) string) gin.HandlerFunc {
	bearer := a.Require()
	return func(c *gin.Context) {
		ticket, ok := c.GetQuery("ticket")
		if !ok {
			bearer(c)
			return
		}
		uid, err := a.signer.VerifyTicket(ticket, scope(c))
		if err != nil {
			httpx.Problem(c, http.StatusUnauthorized, "Invalid or expired ticket")
			c.Abort()
			return
		}
		u, err := a.users.ByID(c.Request.Context(), uid)
		if !a.admit(c, u, err, "User for this ticket does not exist") {
			return
		}
		c.Request = c.Request.WithContext(WithUser(c.Request.Context(), u))
		c.Next()
	}
}
