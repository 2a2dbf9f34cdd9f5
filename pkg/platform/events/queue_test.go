package events

import (
	"runtime"
	"testing"
)

func TestQueueKeepsOrderAndBound(t *testing.T) {
	q := newQueue(3)
	for i := range 4 {
		ok := q.push(Event{Type: string(rune('a' + i)), Streams: []string{"s"}})
		if want := i < 3; ok != want {
			t.Fatalf("push %d: got %v, want %v", i, ok, want)
		}
	}
	got := q.take(nil, 2)
	if len(got) != 2 || got[0].Type != "a" || got[1].Type != "b" {
		t.Fatalf("first take: %+v", got)
	}
	// Events are left: the publisher must be woken again for them.
	select {
	case <-q.wake:
	default:
		t.Fatal("no wake signal while events wait")
	}
	if got = q.take(got, 5); len(got) != 1 || got[0].Type != "c" {
		t.Fatalf("second take: %+v", got)
	}
	if !q.push(Event{Type: "d"}) || q.len() != 1 {
		t.Fatal("room should be back after take")
	}
}

func TestQueueGivesABurstBack(t *testing.T) {
	q := newQueue(1 << 16)
	for range 10_000 {
		q.push(Event{Type: "x"})
	}
	var batch []Event
	for q.len() > 0 {
		batch = q.take(batch, maxBatch)
	}
	if len(q.ring) > keepCap {
		t.Fatalf("an emptied queue keeps a ring of %d", len(q.ring))
	}
}

// An idle bus must not hold its queue's bound in memory: the default bound
// as a channel buffer was 6 MiB of every process.
func TestIdleBusAllocatesLittle(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b := NewLocal(Options{}, nil)
	runtime.ReadMemStats(&after)
	b.Close()
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Fatalf("starting a bus allocated %d bytes", got)
	}
}

// Under a steady backlog (pushes and batch takes interleaved at the bound),
// the queue keeps order and its bound, and its ring never outgrows the
// bound.
func TestQueueKeepsOrderAndSizeUnderASteadyBacklog(t *testing.T) {
	const limit = 1 << 12
	q := newQueue(limit)
	var pushed, want uint64
	for q.push(Event{ID: pushed}) {
		pushed++
	}
	if pushed != limit {
		t.Fatalf("pushed %d into a queue of %d", pushed, limit)
	}
	var batch []Event
	for round := range 200 {
		batch = q.take(batch, maxBatch/2+round%maxBatch)
		for _, ev := range batch {
			if ev.ID != want {
				t.Fatalf("round %d: got event %d, want %d", round, ev.ID, want)
			}
			want++
		}
		for q.push(Event{ID: pushed}) {
			pushed++
		}
		if got := q.len(); got != limit {
			t.Fatalf("round %d: %d waiting, want the bound %d", round, got, limit)
		}
		if c := len(q.ring); c > limit {
			t.Fatalf("round %d: ring of %d for a bound of %d", round, c, limit)
		}
	}
	for q.len() > 0 {
		for _, ev := range q.take(batch, maxBatch) {
			if ev.ID != want {
				t.Fatalf("drain: got event %d, want %d", ev.ID, want)
			}
			want++
		}
	}
	if want != pushed {
		t.Fatalf("took %d of %d events", want, pushed)
	}
}

// The ring grows while its events wrap around its end: order is kept.
func TestQueueGrowsAcrossTheWrap(t *testing.T) {
	q := newQueue(1 << 10)
	var pushed, want uint64
	pushN := func(k int) {
		for range k {
			if !q.push(Event{ID: pushed}) {
				t.Fatalf("push %d refused", pushed)
			}
			pushed++
		}
	}
	takeN := func(k int) {
		for _, ev := range q.take(nil, k) {
			if ev.ID != want {
				t.Fatalf("got event %d, want %d", ev.ID, want)
			}
			want++
		}
	}
	pushN(16) // a full ring of 16
	takeN(10) // head at 10
	pushN(8)  // wraps: 2 at the end, 6 at the start
	pushN(40) // grows twice with the events wrapped
	takeN(1 << 10)
	if want != pushed || q.len() != 0 {
		t.Fatalf("took %d of %d, %d left", want, pushed, q.len())
	}
}
