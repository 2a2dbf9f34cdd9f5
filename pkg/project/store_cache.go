package project

import (
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// cacheTTL bounds how stale a cached project or membership answer may be:
// a membership change or project rename takes effect within this time.
const cacheTTL = 5 * time.Second

// cacheMax bounds each cache; when full it is simply cleared.
const cacheMax = 4096

// ttlCache is a small map with per-entry expiry. Writes of results resolve
// the same project and check the same membership thousands of times per
// second; caching both removes two queries from every write.
type ttlCache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]ttlEntry[V]
}

type ttlEntry[V any] struct {
	v   V
	exp time.Time
}

func newTTLCache[K comparable, V any]() *ttlCache[K, V] {
	return &ttlCache[K, V]{m: map[K]ttlEntry[V]{}}
}

func (c *ttlCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || time.Now().After(e.exp) {
		var zero V
		return zero, false
	}
	return e.v, true
}

func (c *ttlCache[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= cacheMax {
		clear(c.m)
	}
	c.m[k] = ttlEntry[V]{v: v, exp: time.Now().Add(cacheTTL)}
}

func (c *ttlCache[K, V]) reset() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}

// accessKey identifies one (user, project) access decision.
type accessKey struct{ user, project uuid.UUID }

// caches are the Store's read-through caches; writes through the Store reset them.
type caches struct {
	resolve *ttlCache[string, model.Project]
	access  *ttlCache[accessKey, bool]
}

func newCaches() caches {
	return caches{resolve: newTTLCache[string, model.Project](), access: newTTLCache[accessKey, bool]()}
}

func (c caches) reset() {
	c.resolve.reset()
	c.access.reset()
}
