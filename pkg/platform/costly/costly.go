// Package costly bounds requests whose filters no index serves (regular
// expressions, substring matches): each runs under its own, shorter
// statement timeout, and a user may have only a few in flight, the whole
// server only a few more. Beyond that the request is answered 429 at once,
// so a burst of pathological filters cannot hold the connection pool and
// make every other user wait.
package costly

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Limits configure a Gate.
type Limits struct {
	// Timeout is the statement timeout of an expensive request's queries
	// (0 keeps the pool's).
	Timeout time.Duration
	// PerUser caps one user's expensive requests in flight.
	PerUser int
	// Total caps everyone's together (0: no cap beyond PerUser).
	Total int
}

// Gate admits expensive requests.
type Gate struct {
	lim   Limits
	log   *slog.Logger
	mu    sync.Mutex
	users map[string]int
	all   int
}

// NewGate builds a gate.
func NewGate(lim Limits, log *slog.Logger) *Gate {
	return &Gate{lim: lim, log: log, users: map[string]int{}}
}

// Busy is the message of the 429.
const Busy = "Too many requests with regular-expression or substring filters are running; retry shortly or use exact filters"

// acquire takes a slot for user; ok is false when a limit is reached.
func (g *Gate) acquire(user string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.lim.PerUser > 0 && g.users[user] >= g.lim.PerUser {
		return false
	}
	if g.lim.Total > 0 && g.all >= g.lim.Total {
		return false
	}
	g.users[user]++
	g.all++
	return true
}

func (g *Gate) release(user string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.all--
	if g.users[user]--; g.users[user] <= 0 {
		delete(g.users, user)
	}
}

// Middleware gates GET requests whose `filter` or `additional_filters`
// parameters are expensive, as expensive tells from one parameter's raw
// values (the filter package knows; platform code imports no feature);
// user names the caller (the authenticated user's id), so it must run
// after authentication.
func (g *Gate) Middleware(user func(*gin.Context) string, expensive func(values []string) bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		q := c.Request.URL.Query()
		if c.Request.Method != http.MethodGet || !(expensive(q["filter"]) || expensive(q["additional_filters"])) {
			c.Next()
			return
		}
		who := user(c)
		if !g.acquire(who) {
			c.Header("Retry-After", strconv.Itoa(max(1, int(g.lim.Timeout.Seconds()+0.999))))
			httpx.WriteError(c, g.log, apperr.New(http.StatusTooManyRequests, Busy))
			c.Abort()
			return
		}
		defer g.release(who)
		if g.lim.Timeout > 0 {
			c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), timeoutKey{}, g.lim.Timeout))
		}
		c.Next()
	}
}

type timeoutKey struct{}

// Timeout is the statement timeout the request of ctx must run its
// queries under, if it was admitted as expensive.
func Timeout(ctx context.Context) (time.Duration, bool) {
	d, ok := ctx.Value(timeoutKey{}).(time.Duration)
	return d, ok
}
