package auth

import (
	"sync"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// userCacheTTL bounds how long a verified token's user is reused without
// asking the database. Within this process any account or token change
// clears the cache at once (see Invalidate); other replicas notice within
// the TTL. It removes the one query every authenticated request made, which
// dominated small writes such as POST /api/result.
const userCacheTTL = 2 * time.Second

// userCacheMax bounds the cache; past it the cache is simply cleared.
const userCacheMax = 10_000

type cachedUser struct {
	user model.User
	exp  time.Time
}

// userCache maps a bearer token to the user it authenticated.
type userCache struct {
	mu sync.Mutex
	m  map[string]cachedUser
}

func newUserCache() *userCache { return &userCache{m: map[string]cachedUser{}} }

func (c *userCache) get(token string, now time.Time) (*model.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[token]
	if !ok || now.After(e.exp) {
		return nil, false
	}
	u := e.user // a copy: handlers may not change the cached value
	return &u, true
}

func (c *userCache) put(token string, u *model.User, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= userCacheMax {
		clear(c.m)
	}
	c.m[token] = cachedUser{user: *u, exp: now.Add(userCacheTTL)}
}

func (c *userCache) clear() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}
