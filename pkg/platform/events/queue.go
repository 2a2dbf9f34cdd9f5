package events

import "sync"

// queue holds the events waiting for the publisher, up to a bound.
//
// It replaces a buffered channel of the bound's size: a channel allocates
// its whole buffer up front (65,536 events of about 100 bytes, 6 MiB of
// every idle process), where this holds only what is waiting and gives a
// burst's memory back once the publisher has caught up.
type queue struct {
	mu    sync.Mutex
	items []Event
	limit int
	// wake has room for one signal: a push into an empty queue leaves one
	// there, so the publisher never misses that there is work.
	wake chan struct{}
}

// keepCap is the capacity an emptied queue keeps; past it the backing
// array of a burst is dropped.
const keepCap = 1024

func newQueue(limit int) *queue {
	return &queue{limit: limit, wake: make(chan struct{}, 1)}
}

// push appends ev unless the queue holds limit events; false means dropped.
func (q *queue) push(ev Event) bool {
	q.mu.Lock()
	if len(q.items) >= q.limit {
		q.mu.Unlock()
		return false
	}
	q.items = append(q.items, ev)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return true
}

// take moves up to n queued events, oldest first, onto dst[:0].
func (q *queue) take(dst []Event, n int) []Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := min(n, len(q.items))
	dst = append(dst[:0], q.items[:k]...)
	rest := copy(q.items, q.items[k:])
	clear(q.items[rest:])
	q.items = q.items[:rest]
	if rest == 0 && cap(q.items) > keepCap {
		q.items = nil
	}
	if rest > 0 {
		select {
		case q.wake <- struct{}{}:
		default:
		}
	}
	return dst
}

// len is how many events wait.
func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}
