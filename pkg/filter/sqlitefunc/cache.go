package sqlitefunc

import (
	"fmt"
	"regexp"
	"sync"
)

// DefaultCacheSize bounds the compiled patterns kept by Register's function:
// enough for every pattern a busy UI uses, small enough that hostile input
// cannot grow memory.
const DefaultCacheSize = 256

// PatternCache keeps compiled regular expressions, because SQLite calls the
// REGEXP function once per row with the same pattern. It is bounded: when
// full, an arbitrary entry is dropped.
type PatternCache struct {
	mu      sync.Mutex
	limit   int
	entries map[string]*regexp.Regexp
}

// NewPatternCache returns a cache holding at most limit patterns (at least 1).
func NewPatternCache(limit int) *PatternCache {
	if limit < 1 {
		limit = 1
	}
	return &PatternCache{limit: limit, entries: make(map[string]*regexp.Regexp, limit)}
}

// Compile returns the compiled pattern, compiling and caching it on a miss.
// Invalid patterns are not cached.
func (c *PatternCache) Compile(pattern string) (*regexp.Regexp, error) {
	c.mu.Lock()
	re, ok := c.entries[pattern]
	c.mu.Unlock()
	if ok {
		return re, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.limit {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[pattern] = re
	return re, nil
}

// Len reports how many patterns are cached.
func (c *PatternCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
