package queue

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/logbuf"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

func TestNextFiring(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct{ spec, from, want string }{
		{"@every 2s", "2026-11-29T03:00:01.3Z", "2026-11-29T03:00:02Z"},
		{"@every 2s", "2026-11-29T03:00:02Z", "2026-11-29T03:00:04Z"},
		// Aligned to the Unix epoch, not to the hour or the start.
		{"@every 7m", "2026-11-29T03:00:00Z", time.Unix((at("2026-11-29T03:00:00Z").Unix()/420+1)*420, 0).UTC().Format(time.RFC3339)},
		{"@every 1h", "2026-11-29T03:59:59.999Z", "2026-11-29T04:00:00Z"},
		{"0 2 * * *", "2026-11-29T03:00:00Z", "2026-11-30T02:00:00Z"},
		{"0 2 * * *", "2026-11-29T02:00:00Z", "2026-11-30T02:00:00Z"},
		{"0 4 * * 6", "2026-11-29T03:00:00Z", "2026-12-05T04:00:00Z"},
		// A cron spec is read in UTC whatever the zone of the clock.
		{"0 2 * * *", "2026-11-29T01:00:00-05:00", "2026-11-30T02:00:00Z"},
	} {
		got, err := NextFiring(c.spec, at(c.from))
		if err != nil || !got.Equal(at(c.want)) {
			t.Errorf("NextFiring(%q, %s) = %v, %v; want %s", c.spec, c.from, got, err, c.want)
		}
	}
	if _, err := NextFiring("not a spec", time.Now()); err == nil {
		t.Error("bad spec accepted")
	}
	// Two replicas started at different moments agree on every firing.
	a, _ := NextFiring("@every 3s", at("2026-11-29T03:00:00.2Z"))
	b, _ := NextFiring("@every 3s", at("2026-11-29T03:00:01.7Z"))
	if !a.Equal(b) {
		t.Errorf("replicas disagree: %s vs %s", a, b)
	}
	if id := FiringID("prune-old-runs", at("2026-11-30T02:00:00Z")); id != "prune-old-runs@1796004000" {
		t.Errorf("FiringID = %s", id)
	}
}

func TestLastFiring(t *testing.T) {
	tick, err := newTicker([]Periodic{{Name: "e", Spec: "@every 10s"}, {Name: "c", Spec: "*/5 * * * *"}})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 11, 29, 3, 0, 0, 0, time.UTC)
	// Woke 35 s after a firing: fire the latest missed one, not four.
	if got := lastFiring(tick.entries[0].sched, base, base.Add(35*time.Second)); !got.Equal(base.Add(30 * time.Second)) {
		t.Errorf("@every: %s", got)
	}
	if got := lastFiring(tick.entries[1].sched, base, base.Add(12*time.Minute)); !got.Equal(base.Add(10 * time.Minute)) {
		t.Errorf("cron: %s", got)
	}
	if got := lastFiring(tick.entries[1].sched, base, base); !got.Equal(base) {
		t.Errorf("on time: %s", got)
	}
}

// taskIDs lists the task_id of the records in l whose msg is msg.
func taskIDs(t *testing.T, l *logbuf.Buffer, msg string) []string {
	t.Helper()
	var out []string
	for _, r := range l.Find(t, msg) {
		id, _ := r["task_id"].(string)
		out = append(out, id)
	}
	return out
}

// execCounter is a registry whose periodic task records each execution
// by task id.
type execCounter struct {
	mu  sync.Mutex
	ran map[string]int
}

func (c *execCounter) registry() *Registry {
	r := NewRegistry()
	r.Register("test.tick", func(ctx context.Context, _ []byte) ([]byte, error) {
		id, _ := asynq.GetTaskID(ctx)
		c.mu.Lock()
		c.ran[id]++
		c.mu.Unlock()
		// Long enough for a late replica to find it running, short
		// against the period so most firings find it completed.
		time.Sleep(50 * time.Millisecond)
		return nil, nil
	}, MaxRetry(2), Timeout(time.Minute))
	return r
}

func (c *execCounter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.ran {
		out[k] = v
	}
	return out
}

// scheduleFixture is a queue of its own with two workers running
// test.tick; schedulers are added with add.
type scheduleFixture struct {
	t     *testing.T
	opt   asynq.RedisConnOpt
	queue string
	exec  *execCounter
	reg   *Registry
}

func newScheduleFixture(t *testing.T) *scheduleFixture {
	opt, err := RedisConnOpt(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	f := &scheduleFixture{t: t, opt: opt, queue: "sched-" + uuid.NewString()[:8], exec: &execCounter{ran: map[string]int{}}}
	f.reg = f.exec.registry()
	for range 2 {
		srv, mux := NewServer(opt, f.reg, f.queue, 2, 5*time.Second, discard())
		if err := srv.Start(mux); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Shutdown)
	}
	return f
}

// add builds (not starts) a scheduler of spec logging into log.
func (f *scheduleFixture) add(spec string, log *logbuf.Buffer) *RedisScheduler {
	s, err := NewRedisScheduler(f.opt, f.reg, f.queue, []Periodic{{Name: "tick", Spec: spec, Type: "test.tick"}}, log.JSONLogger())
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(s.Shutdown)
	return s
}

// firstFiring starts a scheduler firing every 3 s, logging to log, and
// waits until it has enqueued a firing; failure is the test's message
// when none comes in 10 s.
func (f *scheduleFixture) firstFiring(log *logbuf.Buffer, failure string) *RedisScheduler {
	f.t.Helper()
	s := f.add("@every 3s", log)
	if err := s.Start(); err != nil {
		f.t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); len(taskIDs(f.t, log, "periodic task enqueued")) == 0; {
		if time.Now().After(deadline) {
			f.t.Fatal(failure)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s
}

// settle waits until the queue holds nothing pending, active or retrying.
func (f *scheduleFixture) settle() {
	f.t.Helper()
	insp := asynq.NewInspector(f.opt)
	defer func() { _ = insp.Close() }()
	for deadline := time.Now().Add(20 * time.Second); ; {
		info, err := insp.GetQueueInfo(f.queue)
		if err != nil {
			f.t.Fatal(err)
		}
		if info.Pending == 0 && info.Active == 0 && info.Retry == 0 && info.Scheduled == 0 {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("queue did not drain: %+v", info)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkOnce fails unless each firing id enqueued ran exactly once and
// nothing else ran.
func (f *scheduleFixture) checkOnce(enqueued []string) {
	f.t.Helper()
	ran := f.exec.snapshot()
	seen := map[string]bool{}
	for _, id := range enqueued {
		if seen[id] {
			f.t.Errorf("firing %s enqueued twice", id)
		}
		seen[id] = true
		if ran[id] != 1 {
			f.t.Errorf("firing %s ran %d times, want once", id, ran[id])
		}
	}
	for id, n := range ran {
		if !seen[id] {
			f.t.Errorf("task %s ran %d times without being enqueued", id, n)
		}
	}
}

// TestTwoSchedulersRunEachFiringOnce starts two schedulers of "@every 2s"
// 1.5 s apart, with two workers, for over four periods: both try every
// firing, and each firing runs exactly once.
func TestTwoSchedulersRunEachFiringOnce(t *testing.T) {
	f := newScheduleFixture(t)
	var logA, logB logbuf.Buffer
	a, b := f.add("@every 2s", &logA), f.add("@every 2s", &logB)
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	bStart := time.Now()
	time.Sleep(9 * time.Second)
	a.Shutdown()
	b.Shutdown()
	bRan := time.Since(bStart)
	f.settle()
	enqueued := append(taskIDs(t, &logA, "periodic task enqueued"), taskIDs(t, &logB, "periodic task enqueued")...)
	dupA := taskIDs(t, &logA, "periodic task already enqueued for this firing (another scheduler)")
	dupB := taskIDs(t, &logB, "periodic task already enqueued for this firing (another scheduler)")
	t.Logf("%d firings enqueued (a %d, b %d), %d refused as duplicates (a %d, b %d) in %s with both running; executions %v",
		len(enqueued), len(taskIDs(t, &logA, "periodic task enqueued")), len(taskIDs(t, &logB, "periodic task enqueued")),
		len(dupA)+len(dupB), len(dupA), len(dupB), bRan.Round(time.Millisecond), f.exec.snapshot())
	f.checkOnce(enqueued)
	// Both ran over 4-5 firings together; each such firing was tried by
	// both, so the duplicates refused are one per shared firing (one may
	// fall on the shutdown).
	if len(dupA)+len(dupB) < 3 {
		t.Errorf("only %d duplicate enqueues refused: the schedulers did not overlap over 4 periods", len(dupA)+len(dupB))
	}
	if len(enqueued) < 5 {
		t.Errorf("%d firings enqueued over ~10 s of \"@every 2s\"", len(enqueued))
	}
	for _, id := range enqueued {
		sec, err := strconv.ParseInt(strings.TrimPrefix(id, "tick@"), 10, 64)
		if err != nil || sec%2 != 0 {
			t.Errorf("firing id %s: want tick@<even Unix second>", id)
		}
	}
}

// TestFiringRefusedWhileQueuedRunningOrCompleted enqueues one firing, then
// fires the same firing again from a second scheduler while the first copy
// is queued (no worker yet), and again after it completed: the job runs
// once. This is the case asynq's Unique lock missed (released on success).
func TestFiringRefusedWhileQueuedRunningOrCompleted(t *testing.T) {
	opt, err := RedisConnOpt(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	exec := &execCounter{ran: map[string]int{}}
	reg := exec.registry()
	queueName := "sched-" + uuid.NewString()[:8]
	var logA, logB logbuf.Buffer
	entries := []Periodic{{Name: "tick", Spec: "@every 1h", Type: "test.tick"}}
	a, err := NewRedisScheduler(opt, reg, queueName, entries, logA.JSONLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Shutdown()
	b, err := NewRedisScheduler(opt, reg, queueName, entries, logB.JSONLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Shutdown()
	firing := time.Now().Truncate(time.Hour)
	a.fire(context.Background(), a.tick.entries[0], firing)
	b.fire(context.Background(), b.tick.entries[0], firing) // queued
	srv, mux := NewServer(opt, reg, queueName, 1, 5*time.Second, discard())
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	id := FiringID("tick", firing)
	q := NewRedisQueue(opt, reg, queueName)
	defer func() { _ = q.Close() }()
	waitState(t, q, id, StateSuccess)
	b.fire(context.Background(), b.tick.entries[0], firing) // completed
	time.Sleep(500 * time.Millisecond)                      // a worker would have picked a copy up
	if got := exec.snapshot(); len(got) != 1 || got[id] != 1 {
		t.Fatalf("executions %v, want %s once", got, id)
	}
	if n := len(taskIDs(t, &logB, "periodic task already enqueued for this firing (another scheduler)")); n != 2 {
		t.Errorf("%d duplicates logged, want 2", n)
	}
	info, err := q.inspector.GetTaskInfo(queueName, id)
	if err != nil {
		t.Fatal(err)
	}
	// The registry's retries and timeout; kept for a period and a minute.
	if info.MaxRetry != 2 || info.Timeout != time.Minute || info.Retention != time.Hour+time.Minute {
		t.Errorf("task options: max retry %d, timeout %s, retention %s", info.MaxRetry, info.Timeout, info.Retention)
	}
}

// TestCronSpecFiringOnce runs two schedulers of a cron spec ("every
// minute") on a clock set to just before a minute: the firing is
// enqueued once, under the minute's Unix time.
func TestCronSpecFiringOnce(t *testing.T) {
	f := newScheduleFixture(t)
	now := time.Now()
	minute := now.Truncate(time.Minute).Add(time.Minute)
	shift := minute.Add(-700 * time.Millisecond).Sub(now) // the clock reads 0.7 s before the minute
	clock := func() time.Time { return time.Now().Add(shift) }
	var logA, logB logbuf.Buffer
	a, b := f.add("* * * * *", &logA), f.add("* * * * *", &logB)
	a.tick.now, b.tick.now = clock, clock
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	a.Shutdown()
	b.Shutdown()
	f.settle()
	enqueued := append(taskIDs(t, &logA, "periodic task enqueued"), taskIDs(t, &logB, "periodic task enqueued")...)
	want := "tick@" + strconv.FormatInt(minute.Unix(), 10)
	if len(enqueued) != 1 || enqueued[0] != want {
		t.Fatalf("enqueued %v, want [%s]", enqueued, want)
	}
	if n := len(taskIDs(t, &logA, "periodic task already enqueued for this firing (another scheduler)")) +
		len(taskIDs(t, &logB, "periodic task already enqueued for this firing (another scheduler)")); n != 1 {
		t.Errorf("%d duplicates refused, want 1", n)
	}
	f.checkOnce(enqueued)
}

// TestSchedulerRestartWithinPeriod stops a scheduler right after a firing
// and starts another at once: the firing already enqueued is not fired
// again, and the next one is.
func TestSchedulerRestartWithinPeriod(t *testing.T) {
	f := newScheduleFixture(t)
	var logA, logB logbuf.Buffer
	f.firstFiring(&logA, "no firing in 10 s").Shutdown()
	f.firstFiring(&logB, "the restarted scheduler did not fire in 10 s").Shutdown()
	f.settle()
	first, second := taskIDs(t, &logA, "periodic task enqueued"), taskIDs(t, &logB, "periodic task enqueued")
	if dup := taskIDs(t, &logB, "periodic task already enqueued for this firing (another scheduler)"); len(dup) > 0 {
		t.Errorf("the restarted scheduler fired %v again", dup)
	}
	if len(first) != 1 || len(second) != 1 || first[0] == second[0] {
		t.Fatalf("firings before the restart %v, after %v: want one each, different", first, second)
	}
	f.checkOnce(append(first, second...))
}

// TestTickerShutdownUnstarted returns at once for a scheduler never started.
func TestTickerShutdownUnstarted(t *testing.T) {
	s, err := NewLocalScheduler(nil, []Periodic{{Name: "x", Spec: "@every 1s", Type: "t"}}, discard())
	if err != nil {
		t.Fatal(err)
	}
	s.Stop()
	s.Stop()
}

// TestLocalSchedulerFires runs the embedded mode's scheduler on its
// in-process queue until a firing has run, then stops it.
func TestLocalSchedulerFires(t *testing.T) {
	exec := &execCounter{ran: map[string]int{}}
	q := NewLocalQueue(exec.registry(), 1, discard())
	defer func() { _ = q.Close() }()
	s, err := NewLocalScheduler(q, []Periodic{{Name: "tick", Spec: "@every 1s", Type: "test.tick"}}, discard())
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer s.Stop()
	for deadline := time.Now().Add(10 * time.Second); len(exec.snapshot()) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no firing ran in 10 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
