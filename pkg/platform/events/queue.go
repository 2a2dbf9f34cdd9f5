package events

import "sync"

// queue holds the events waiting for the publisher, up to a bound.
//
// It replaces a buffered channel of the bound's size: a channel allocates
// its whole buffer up front (65,536 events of about 100 bytes, 6 MiB of
// every idle process), where this ring grows by doubling with the backlog
// (never past the bound) and gives a burst's memory back once the
// publisher has caught up. Each event is copied O(1) times on average.
type queue struct {
	mu sync.Mutex
	// ring[head], ring[head+1], … (mod len(ring)) are the n waiting
	// events, oldest first.
	ring    []Event
	head, n int
	limit   int
	// wake has room for one signal: a push into an empty queue leaves one
	// there, so the publisher never misses that there is work.
	wake chan struct{}
}

// keepCap is the capacity an emptied queue keeps; past it the ring of a
// burst is dropped.
const keepCap = 1024

func newQueue(limit int) *queue {
	return &queue{limit: limit, wake: make(chan struct{}, 1)}
}

// push appends ev unless the queue holds limit events; false means dropped.
func (q *queue) push(ev Event) bool {
	q.mu.Lock()
	if q.n >= q.limit {
		q.mu.Unlock()
		return false
	}
	if q.n == len(q.ring) {
		q.grow()
	}
	q.ring[(q.head+q.n)%len(q.ring)] = ev
	q.n++
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return true
}

// grow doubles the ring (at least 16, at most the bound), keeping order.
func (q *queue) grow() {
	c := min(max(16, 2*len(q.ring)), q.limit)
	ring := make([]Event, c)
	k := copy(ring, q.ring[q.head:])
	copy(ring[k:], q.ring[:q.head])
	q.ring, q.head = ring, 0
}

// take moves up to n queued events, oldest first, onto dst[:0].
func (q *queue) take(dst []Event, n int) []Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	dst = dst[:0]
	for k := min(n, q.n); k > 0; k-- {
		dst = append(dst, q.ring[q.head])
		q.ring[q.head] = Event{}
		q.head = (q.head + 1) % len(q.ring)
		q.n--
	}
	if q.n == 0 {
		q.head = 0
		if len(q.ring) > keepCap {
			q.ring = nil
		}
		return dst
	}
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return dst
}

// len is how many events wait.
func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}
