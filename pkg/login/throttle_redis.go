package login

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// throttleKeyPrefix namespaces the throttle's sorted sets in Redis.
const throttleKeyPrefix = "ibutsu:login-throttle:"

// throttleRedisTimeout bounds each Redis call of a login: a Redis that does
// not answer must not hold the login for the client's dial and retry
// timeouts.
const throttleRedisTimeout = 300 * time.Millisecond

// throttleRetryAfter is how long, after Redis failed, logins count in the
// process before the throttle asks Redis again.
const throttleRetryAfter = 5 * time.Second

// RedisThrottle is the Throttle every backend replica shares: each key's
// failures are a Redis sorted set scored by time, trimmed to the window and
// expiring with it, so N replicas allow the limit once, not N times. Keys are
// stored hashed: Redis never holds the e-mail addresses or client IPs.
//
// When Redis does not answer, logins are not refused for it: the throttle
// falls back to counting in the process until Redis answers again.
type RedisThrottle struct {
	rdb      redis.UniversalClient
	prefix   string
	window   time.Duration
	now      func() time.Time
	fallback *MemoryThrottle
	log      *slog.Logger
	// instance and seq make members unique when failures on several
	// replicas share a timestamp.
	instance string
	seq      atomic.Uint64
	// down is set while Redis fails, so the outage is logged once;
	// downSince (unix ns) is when it last failed.
	down      atomic.Bool
	downSince atomic.Int64
}

// NewRedisThrottle counts failures within window in rdb. namespace
// separates deployments sharing one Redis (the backend passes its task
// queue name, which the replicas of one deployment share).
func NewRedisThrottle(rdb redis.UniversalClient, namespace string, window time.Duration, log *slog.Logger) *RedisThrottle {
	return &RedisThrottle{rdb: rdb, prefix: throttleKeyPrefix + namespace + ":", window: window, now: time.Now,
		fallback: NewMemoryThrottle(window), log: log, instance: uuid.NewString()[:8]}
}

// useRedis reports whether to ask Redis: always while it answers, and again
// throttleRetryAfter after it last failed. It returns a context bounded by
// throttleRedisTimeout.
func (t *RedisThrottle) useRedis(ctx context.Context) (context.Context, context.CancelFunc, bool) {
	if t.down.Load() && time.Since(time.Unix(0, t.downSince.Load())) < throttleRetryAfter {
		return ctx, func() {}, false
	}
	c, cancel := context.WithTimeout(ctx, throttleRedisTimeout)
	return c, cancel, true
}

// blockedScript trims a key to the window and returns the score (ms) of
// the limit-th newest failure, or false when there are fewer than limit.
var blockedScript = redis.NewScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local r = redis.call('ZRANGE', KEYS[1], -tonumber(ARGV[2]), -tonumber(ARGV[2]), 'WITHSCORES')
if #r == 0 then return false end
return r[2]
`)

// Blocked implements Throttle.
func (t *RedisThrottle) Blocked(ctx context.Context, key string, limit int) (time.Duration, bool) {
	if limit <= 0 {
		return 0, false
	}
	rctx, cancel, ok := t.useRedis(ctx)
	defer cancel()
	if !ok {
		return t.fallback.Blocked(ctx, key, limit)
	}
	now := t.now()
	cutoff := now.Add(-t.window).UnixMilli()
	res, err := blockedScript.Run(rctx, t.rdb, []string{t.key(key)}, cutoff, limit).Text()
	if err == redis.Nil {
		t.up()
		return 0, false
	}
	if err != nil {
		t.failed(err)
		return t.fallback.Blocked(ctx, key, limit)
	}
	t.up()
	oldest, err := strconv.ParseFloat(res, 64)
	if err != nil {
		t.failed(fmt.Errorf("read failure time %q: %w", res, err))
		return t.fallback.Blocked(ctx, key, limit)
	}
	wait := t.window - now.Sub(time.UnixMilli(int64(oldest)))
	if wait <= 0 {
		return 0, false
	}
	return wait, true
}

// Count implements Throttle.
func (t *RedisThrottle) Count(ctx context.Context, key string) int {
	rctx, cancel, ok := t.useRedis(ctx)
	defer cancel()
	if !ok {
		return t.fallback.Count(ctx, key)
	}
	cutoff := strconv.FormatInt(t.now().Add(-t.window).UnixMilli(), 10)
	n, err := t.rdb.ZCount(rctx, t.key(key), "("+cutoff, "+inf").Result()
	if err != nil {
		t.failed(err)
		return t.fallback.Count(ctx, key)
	}
	t.up()
	return int(n)
}

// Fail implements Throttle.
func (t *RedisThrottle) Fail(ctx context.Context, keys ...string) {
	rctx, cancel, ok := t.useRedis(ctx)
	defer cancel()
	if !ok {
		t.fallback.Fail(ctx, keys...)
		return
	}
	now := t.now()
	ms := now.UnixMilli()
	_, err := t.rdb.TxPipelined(rctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			rk := t.key(k)
			member := strconv.FormatInt(ms, 10) + "-" + t.instance + "-" + strconv.FormatUint(t.seq.Add(1), 10)
			p.ZAdd(rctx, rk, redis.Z{Score: float64(ms), Member: member})
			p.ZRemRangeByScore(rctx, rk, "-inf", strconv.FormatInt(now.Add(-t.window).UnixMilli(), 10))
			p.PExpire(rctx, rk, t.window)
		}
		return nil
	})
	if err != nil {
		t.failed(err)
		t.fallback.Fail(ctx, keys...)
		return
	}
	t.up()
}

// Reset implements Throttle.
func (t *RedisThrottle) Reset(ctx context.Context, key string) {
	t.fallback.Reset(ctx, key)
	rctx, cancel, ok := t.useRedis(ctx)
	defer cancel()
	if !ok {
		return
	}
	if err := t.rdb.Del(rctx, t.key(key)).Err(); err != nil {
		t.failed(err)
		return
	}
	t.up()
}

// key is the Redis key of a throttle key: hashed, so no e-mail address or
// IP is stored in Redis.
func (t *RedisThrottle) key(k string) string {
	sum := sha256.Sum256([]byte(k))
	return t.prefix + hex.EncodeToString(sum[:16])
}

// failed notes a Redis failure and logs the first of an outage.
func (t *RedisThrottle) failed(err error) {
	t.downSince.Store(time.Now().UnixNano())
	if t.down.CompareAndSwap(false, true) {
		t.log.Warn("login throttle: Redis unavailable, counting failures in this process until it answers", "error", err)
	}
}

// up notes that Redis answered again.
func (t *RedisThrottle) up() {
	if t.down.CompareAndSwap(true, false) {
		t.log.Info("login throttle: Redis answers again, counting failures across replicas")
	}
}
