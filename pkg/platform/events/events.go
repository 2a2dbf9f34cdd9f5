// Package events is the live event bus of the server: the run and project
// streams the UI watches over server-sent events (docs/notifications.md,
// "Events (live)").
//
// Writers call Publish, which never blocks: the event goes into a bounded
// queue and a background publisher sends it on. With PostgreSQL the
// publisher sends batches with NOTIFY and every backend replica that has
// subscribers LISTENs, so an event published by any process (a backend, the
// worker, the scheduler) reaches the streams of every replica with the same
// id; with SQLite (the embedded mode, one process) events are delivered in
// process. Each replica keeps a bounded backlog per stream for resuming with
// Last-Event-ID.
//
// Subscribe is the one way to read events:
//
//	sub, replay, gap := bus.Subscribe(events.RunStream(id), lastEventID)
//	defer sub.Close()
//	for ev := range sub.C { ... }   // C closes when the subscriber is dropped or the bus stops
//
// Each subscriber has a bounded buffer; one that does not keep up is
// dropped (its channel closes and Dropped reports true), so a slow client
// never slows a writer or another client.
package events

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// Event names (docs/notifications.md lists their payloads).
const (
	ResultAdded    = "result.added"    // run stream: one result, compact form
	RunSummary     = "run.summary"     // run stream: the recomputed summary
	RunStarted     = "run.started"     // project stream: a new run
	RunUpdated     = "run.updated"     // project stream: a run's summary or state changed
	RunFinished    = "run.finished"    // run and project streams
	ImportProgress = "import.progress" // project stream
	ImportDone     = "import.done"     // project stream
	// Reset tells a subscriber that events it asked for are no longer known
	// (backlog overflow, restart, a lost LISTEN connection): reload the
	// state and go on from here.
	Reset = "reset"
)

// RunStream and ProjectStream name the two kinds of stream.
func RunStream(id uuid.UUID) string { return "run:" + id.String() }

// ProjectStream names a project's stream.
func ProjectStream(id uuid.UUID) string { return "project:" + id.String() }

// Event is one event. ID is assigned when it is sent on (increasing per
// stream); Data is its JSON payload.
type Event struct {
	ID      uint64          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Streams []string        `json:"streams"`
	Data    json.RawMessage `json:"data"`

	frame []byte // the text/event-stream frame, built once in deliver
}

// Frame is the event in the text/event-stream format ("id:", "event:",
// "data:" lines and a blank line); it is built once per event, however many
// streams write it.
func (ev Event) Frame() []byte {
	if ev.frame != nil {
		return ev.frame
	}
	return buildFrame(ev)
}

func buildFrame(ev Event) []byte {
	b := make([]byte, 0, len(ev.Data)+len(ev.Type)+40)
	if ev.ID > 0 {
		b = append(b, "id: "...)
		b = strconv.AppendUint(b, ev.ID, 10)
		b = append(b, '\n')
	}
	b = append(b, "event: "...)
	b = append(b, ev.Type...)
	b = append(b, "\ndata: "...)
	b = append(b, ev.Data...)
	return append(b, "\n\n"...)
}

// New builds an event for streams with data marshalled to JSON; a run or
// result holding a NaN or infinite duration (a row stored before the API
// bounded them) is sent with it as null (model.MarshalJSON), not as a null
// event.
func New(typ string, data any, streams ...string) Event {
	b, err := model.MarshalJSON(data)
	if err != nil {
		b = []byte("null")
	}
	return Event{Type: typ, Streams: streams, Data: b}
}

// Options tune a bus; zero fields take the defaults.
type Options struct {
	// ClientBuffer is how many events a subscriber may lag behind before it
	// is dropped (default 256).
	ClientBuffer int
	// Backlog is how many events each stream keeps for Last-Event-ID
	// (default 500), and MaxStreams how many streams keep one (default 10000).
	Backlog, MaxStreams int
	// QueueSize bounds the events waiting to be sent (default 65536); when
	// it is full, Publish drops the event and counts it.
	QueueSize int
	// Hooks run in the publisher goroutine for every event published by
	// this process (once per event in the whole deployment, unlike
	// subscriptions, which every replica has). They must not block.
	Hooks []func(Event)
}

func (o Options) withDefaults() Options {
	if o.ClientBuffer <= 0 {
		o.ClientBuffer = 256
	}
	if o.Backlog <= 0 {
		o.Backlog = 500
	}
	if o.MaxStreams <= 0 {
		o.MaxStreams = 10000
	}
	if o.QueueSize <= 0 {
		o.QueueSize = 65536
	}
	return o
}

// transport sends batches of events to every process's bus (including
// this one) and, once started, delivers what other processes send.
type transport interface {
	// send assigns the batch's ids and sends it; the bus receives it
	// through deliver.
	send(ctx context.Context, batch []Event) error
	// listen starts delivering events from every process to b until ctx
	// ends; it returns once delivery has started (or could not start yet,
	// in which case it keeps trying in the background).
	listen(ctx context.Context, b *Bus)
}

// Bus is the event bus of one process. Its methods are safe for concurrent
// use, and a nil *Bus publishes nothing.
type Bus struct {
	opt Options
	log *slog.Logger
	tr  transport

	in      *queue
	dropped atomic.Int64 // events Publish could not queue
	slow    atomic.Int64 // subscribers dropped for lagging

	mu       sync.Mutex
	streams  map[string]*stream
	forgot   uint64 // highest id of a stream forgotten for MaxStreams
	firstID  uint64 // first id this bus delivered (0: none yet)
	closed   bool
	listenOn sync.Once

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

type stream struct {
	ring    []Event // at most Backlog, oldest first
	evicted uint64  // highest id dropped from ring
	subs    map[*Subscription]struct{}
	touched time.Time
}

// Subscription is one reader of one stream.
type Subscription struct {
	// C receives the stream's events in order; it is closed when the
	// subscriber is dropped (Dropped) or the bus closes.
	C       <-chan Event
	c       chan Event
	bus     *Bus
	stream  string
	dropped atomic.Bool
	once    sync.Once
}

// NewLocal builds a bus that delivers in this process only (SQLite).
func NewLocal(opt Options, log *slog.Logger) *Bus {
	return start(opt, log, &localTransport{next: uint64(time.Now().UnixMicro())})
}

func start(opt Options, log *slog.Logger, tr transport) *Bus {
	opt = opt.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	b := &Bus{opt: opt, log: log, tr: tr, in: newQueue(opt.QueueSize), streams: map[string]*stream{},
		ctx: ctx, cancel: cancel, done: make(chan struct{})}
	go b.publisher()
	return b
}

// Publish queues ev for sending without blocking; when the queue is full
// the event is dropped and counted (Stats).
func (b *Bus) Publish(ev Event) {
	if b == nil || len(ev.Streams) == 0 {
		return
	}
	if !b.in.push(ev) {
		if b.dropped.Add(1)%1000 == 1 {
			b.log.Warn("live event queue full: events dropped", "dropped", b.dropped.Load())
		}
	}
}

// maxBatch bounds one send.
const maxBatch = 256

func (b *Bus) publisher() {
	defer close(b.done)
	batch := make([]Event, 0, maxBatch)
	for {
		select {
		case <-b.ctx.Done():
			return
		case <-b.in.wake:
			batch = b.in.take(batch, maxBatch)
			if len(batch) == 0 {
				continue
			}
			for _, h := range b.opt.Hooks {
				for _, ev := range batch {
					h(ev)
				}
			}
			if err := b.tr.send(b.ctx, batch); err != nil && b.ctx.Err() == nil {
				b.log.Warn("live events not sent", "events", len(batch), "error", err)
			}
		}
	}
}

// Listen starts receiving the events of every process now rather than at
// the first Subscribe, so this process's backlog covers events published
// before its first client arrived (the backend calls it; a publish-only
// process never does).
func (b *Bus) Listen() {
	if b != nil {
		b.listenOn.Do(func() { b.tr.listen(b.ctx, b) })
	}
}

// Subscribe starts reading stream. after is the Last-Event-ID the client
// saw (0: none). replay holds the backlog's events after it, to be sent
// before anything from C; gap reports that events after it may have been
// lost (the client should reload and treat the stream as new).
func (b *Bus) Subscribe(name string, after uint64) (sub *Subscription, replay []Event, gap bool) {
	b.Listen()
	c := make(chan Event, b.opt.ClientBuffer)
	sub = &Subscription{C: c, c: c, bus: b, stream: name}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(c)
		return sub, nil, false
	}
	st := b.streams[name]
	if st == nil {
		st = &stream{subs: map[*Subscription]struct{}{}}
		b.streams[name] = st
		b.evictLocked()
		gap = after > 0 && (b.firstID == 0 || after < b.firstID || after < b.forgot)
	} else if after > 0 {
		gap = after < st.evicted || after < b.firstID
		for _, ev := range st.ring {
			if ev.ID > after {
				replay = append(replay, ev)
			}
		}
	}
	st.subs[sub] = struct{}{}
	st.touched = time.Now()
	return sub, replay, gap
}

// Dropped reports whether the subscriber was dropped for lagging.
func (s *Subscription) Dropped() bool { return s.dropped.Load() }

// Close ends the subscription.
func (s *Subscription) Close() {
	b := s.bus
	b.mu.Lock()
	defer b.mu.Unlock()
	s.removeLocked()
}

func (s *Subscription) removeLocked() {
	if st := s.bus.streams[s.stream]; st != nil {
		delete(st.subs, s)
	}
	s.once.Do(func() { close(s.c) })
}

// deliver hands events (ids assigned) to the backlogs and subscribers of
// this process.
func (b *Bus) deliver(evs []Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	for _, ev := range evs {
		ev.frame = buildFrame(ev)
		if b.firstID == 0 {
			b.firstID = ev.ID
		}
		for _, name := range ev.Streams {
			st := b.streams[name]
			if st == nil {
				st = &stream{subs: map[*Subscription]struct{}{}}
				b.streams[name] = st
				b.evictLocked()
			}
			st.touched = now
			if len(st.ring) >= b.opt.Backlog {
				st.evicted = max(st.evicted, st.ring[0].ID)
				st.ring = append(st.ring[:0], st.ring[1:]...)
			}
			st.ring = append(st.ring, ev)
			for sub := range st.subs {
				select {
				case sub.c <- ev:
				default:
					sub.dropped.Store(true)
					b.slow.Add(1)
					sub.removeLocked()
				}
			}
		}
	}
}

// resetAll tells every subscriber that events may have been lost (the
// LISTEN connection was re-established).
func (b *Bus) resetAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, st := range b.streams {
		st.ring = nil
		for sub := range st.subs {
			select {
			case sub.c <- Event{Type: Reset, Data: json.RawMessage(`{}`)}:
			default:
				sub.dropped.Store(true)
				sub.removeLocked()
			}
		}
	}
}

// evictLocked forgets the least recently used streams without subscribers
// once there are more than MaxStreams.
func (b *Bus) evictLocked() {
	if len(b.streams) <= b.opt.MaxStreams {
		return
	}
	for len(b.streams) > b.opt.MaxStreams*9/10 {
		var oldest string
		var at time.Time
		for name, st := range b.streams {
			if len(st.subs) == 0 && (oldest == "" || st.touched.Before(at)) {
				oldest, at = name, st.touched
			}
		}
		if oldest == "" {
			return
		}
		st := b.streams[oldest]
		if n := len(st.ring); n > 0 {
			b.forgot = max(b.forgot, st.ring[n-1].ID)
		}
		b.forgot = max(b.forgot, st.evicted)
		delete(b.streams, oldest)
	}
}

// Stats are the bus's counters.
type Stats struct {
	Subscribers    int
	DroppedEvents  int64 // events Publish could not queue
	DroppedClients int64 // subscribers dropped for lagging
}

// Stats counts subscribers and drops.
func (b *Bus) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, st := range b.streams {
		n += len(st.subs)
	}
	return Stats{Subscribers: n, DroppedEvents: b.dropped.Load(), DroppedClients: b.slow.Load()}
}

// CloseSubscribers ends every subscription (server shutdown: open streams
// end so the HTTP server can stop); the bus keeps publishing.
func (b *Bus) CloseSubscribers() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for _, st := range b.streams {
		for sub := range st.subs {
			sub.removeLocked()
		}
	}
}

// Close sends what is queued (for up to a second), then stops the bus.
func (b *Bus) Close() {
	if b == nil {
		return
	}
	deadline := time.Now().Add(time.Second)
	for b.in.len() > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	b.CloseSubscribers()
	b.cancel()
	<-b.done
}

// localTransport delivers in process, numbering events from a counter
// that starts at the start time in microseconds, so ids keep increasing
// across restarts.
type localTransport struct {
	mu   sync.Mutex
	next uint64
	bus  *Bus
}

func (t *localTransport) send(_ context.Context, batch []Event) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Event, len(batch))
	for i, ev := range batch {
		t.next++
		ev.ID = t.next
		out[i] = ev
	}
	if t.bus != nil {
		t.bus.deliver(out)
	}
	return nil
}

func (t *localTransport) listen(_ context.Context, b *Bus) {
	t.mu.Lock()
	t.bus = b
	t.mu.Unlock()
}
