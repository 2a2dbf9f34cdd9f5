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
	if cap(q.items) > keepCap {
		t.Fatalf("an emptied queue keeps capacity %d", cap(q.items))
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
