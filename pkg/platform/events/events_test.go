package events_test

import (
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/ibutsu-go/ibutsu/pkg/platform/events"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// next waits for one event (the test's own deadline bounds a failure).
func next(t *testing.T, sub *events.Subscription) events.Event {
	t.Helper()
	ev, ok := <-sub.C
	if !ok {
		t.Fatal("subscription closed")
	}
	return ev
}

func TestLocalDeliversInOrderWithIncreasingIDs(t *testing.T) {
	b := events.NewLocal(events.Options{}, quiet())
	defer b.Close()
	stream := events.RunStream(uuid.New())
	sub, replay, gap := b.Subscribe(stream, 0)
	defer sub.Close()
	if len(replay) != 0 || gap {
		t.Fatalf("fresh subscription: replay %v gap %v", replay, gap)
	}
	for i := range 5 {
		b.Publish(events.New(events.ResultAdded, map[string]int{"n": i}, stream, events.ProjectStream(uuid.New())))
	}
	var last uint64
	for i := range 5 {
		ev := next(t, sub)
		if ev.ID <= last || string(ev.Data) != fmt.Sprintf(`{"n":%d}`, i) {
			t.Fatalf("event %d: %+v after id %d", i, ev, last)
		}
		last = ev.ID
	}
}

func TestResumeFromBacklogAndGap(t *testing.T) {
	b := events.NewLocal(events.Options{Backlog: 3}, quiet())
	defer b.Close()
	stream := events.RunStream(uuid.New())
	sub, _, _ := b.Subscribe(stream, 0)
	for i := range 5 {
		b.Publish(events.New(events.ResultAdded, i, stream))
	}
	var ids []uint64
	for range 5 {
		ids = append(ids, next(t, sub).ID)
	}
	sub.Close()
	// Resume after the fourth: the fifth comes back, no gap.
	sub2, replay, gap := b.Subscribe(stream, ids[3])
	defer sub2.Close()
	if gap || len(replay) != 1 || replay[0].ID != ids[4] {
		t.Fatalf("resume after %d: replay %v gap %v", ids[3], replay, gap)
	}
	// Resume after the first: the backlog (3) no longer has the second.
	sub3, replay, gap := b.Subscribe(stream, ids[0])
	defer sub3.Close()
	if !gap || len(replay) != 3 {
		t.Fatalf("resume after %d: replay %d events, gap %v; want 3 and a gap", ids[0], len(replay), gap)
	}
	// A stream this process has never seen, resumed with an old id: gap.
	sub4, _, gap := b.Subscribe(events.RunStream(uuid.New()), 1)
	defer sub4.Close()
	if !gap {
		t.Fatal("unknown stream resumed without a gap")
	}
}

// TestSlowSubscriberIsDropped: a subscriber that never reads loses its
// subscription once its buffer is full; Publish never waits for it and a
// reading subscriber of the same stream gets everything.
func TestSlowSubscriberIsDropped(t *testing.T) {
	b := events.NewLocal(events.Options{ClientBuffer: 4}, quiet())
	defer b.Close()
	stream := events.ProjectStream(uuid.New())
	slow, _, _ := b.Subscribe(stream, 0)
	defer slow.Close()
	fast, _, _ := b.Subscribe(stream, 0)
	defer fast.Close()
	const n = 100
	for i := range n {
		b.Publish(events.New(events.RunUpdated, i, stream)) // never waits for slow
		if ev := next(t, fast); string(ev.Data) != fmt.Sprint(i) {
			t.Fatalf("fast subscriber: event %d is %s", i, ev.Data)
		}
	}
	// The slow one was dropped: its buffered events, then a closed channel.
	read := 0
	for range slow.C {
		read++
	}
	if !slow.Dropped() || read != 4 {
		t.Fatalf("slow subscriber: dropped %v after %d events", slow.Dropped(), read)
	}
	if st := b.Stats(); st.DroppedClients != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestPublishNeverBlocksWhenQueueFull(t *testing.T) {
	b := events.NewLocal(events.Options{QueueSize: 1}, quiet())
	defer b.Close()
	stream := events.RunStream(uuid.New())
	for range 10000 {
		b.Publish(events.New(events.ResultAdded, 1, stream))
	}
	var nilBus *events.Bus
	nilBus.Publish(events.New(events.ResultAdded, 1, stream)) // a nil bus is a no-op
}

func TestCloseSubscribersEndsStreams(t *testing.T) {
	b := events.NewLocal(events.Options{}, quiet())
	defer b.Close()
	sub, _, _ := b.Subscribe(events.RunStream(uuid.New()), 0)
	b.CloseSubscribers()
	if _, ok := <-sub.C; ok {
		t.Fatal("subscription open after CloseSubscribers")
	}
	if sub.Dropped() {
		t.Fatal("a shutdown is not a drop")
	}
}

// TestPostgresFanOut: two buses on one database (two replicas) see each
// other's events with the same ids, in order.
func TestPostgresFanOut(t *testing.T) {
	url := testenv.NewPostgresDatabase(t)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	pool := stdlib.OpenDB(*cfg)
	defer func() { _ = pool.Close() }()
	if _, err := pool.Exec("CREATE SEQUENCE IF NOT EXISTS ibutsu_event_seq"); err != nil {
		t.Fatal(err)
	}
	newBus := func() *events.Bus {
		return events.NewPostgres(pool, cfg.Copy(), events.Options{}, quiet())
	}
	a, b := newBus(), newBus()
	defer a.Close()
	defer b.Close()
	stream := events.RunStream(uuid.New())
	subA, _, _ := a.Subscribe(stream, 0)
	defer subA.Close()
	subB, _, _ := b.Subscribe(stream, 0)
	defer subB.Close()
	for i := range 20 {
		pub := a
		if i%2 == 1 {
			pub = b
		}
		pub.Publish(events.New(events.ResultAdded, i, stream))
		if i%2 == 1 {
			// each publisher keeps its own order; wait so the test can
			// compare one global order
			waitFor(t, subA, subB, i)
		}
	}
}

// waitFor reads events up to n from both subscriptions and checks both saw
// the same ids.
func waitFor(t *testing.T, a, b *events.Subscription, upTo int) {
	t.Helper()
	seen := map[string]uint64{}
	for range 2 {
		ea, eb := next(t, a), next(t, b)
		if ea.ID != eb.ID || string(ea.Data) != string(eb.Data) {
			t.Fatalf("replicas disagree: %+v vs %+v", ea, eb)
		}
		seen[string(ea.Data)] = ea.ID
	}
	if _, ok := seen[fmt.Sprint(upTo)]; !ok {
		t.Fatalf("event %d not seen: %v", upTo, seen)
	}
}
