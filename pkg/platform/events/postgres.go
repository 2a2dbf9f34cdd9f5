package events

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is the PostgreSQL NOTIFY channel events travel on.
const Channel = "ibutsu_events"

// idsPerBatch is how many ids one NOTIFY carries: event i of a batch whose
// sequence value is n gets the id n*idsPerBatch+i.
const idsPerBatch = 1024

// maxPayload keeps a NOTIFY payload under PostgreSQL's 8000-byte limit.
const maxPayload = 7900

// NewPostgres builds a bus whose events fan out to every process through
// NOTIFY on the database. sendDB is the pool publishers use; listenCfg
// configures the one dedicated connection that LISTENs once the first
// subscriber of this process arrives (a process that only publishes, like
// the worker, never opens it).
func NewPostgres(sendDB *sql.DB, listenCfg *pgx.ConnConfig, opt Options, log *slog.Logger) *Bus {
	return start(opt, log, &pgTransport{db: sendDB, cfg: listenCfg, log: log})
}

type pgTransport struct {
	db  *sql.DB
	cfg *pgx.ConnConfig
	log *slog.Logger
}

// wire is an event as a NOTIFY payload carries it (ids come from the
// sequence value prefixed to the payload).
type wire struct {
	T string          `json:"t"`
	S []string        `json:"s"`
	D json.RawMessage `json:"d"`
}

func (t *pgTransport) send(ctx context.Context, batch []Event) error {
	var parts []string
	size := 0
	flush := func() error {
		if len(parts) == 0 {
			return nil
		}
		payload := "[" + strings.Join(parts, ",") + "]"
		parts, size = parts[:0], 0
		_, err := t.db.ExecContext(ctx, `SELECT pg_notify($1, nextval('ibutsu_event_seq')::text || ' ' || $2)`, Channel, payload)
		return err
	}
	for _, ev := range batch {
		b, err := json.Marshal(wire{T: ev.Type, S: ev.Streams, D: ev.Data})
		if err != nil {
			return err
		}
		if len(b)+32 > maxPayload {
			t.log.Warn("live event too large for NOTIFY: dropped", "type", ev.Type, "bytes", len(b))
			continue
		}
		if size+len(b)+32 > maxPayload || len(parts) == idsPerBatch {
			if err := flush(); err != nil {
				return err
			}
		}
		parts = append(parts, string(b))
		size += len(b) + 1
	}
	return flush()
}

func (t *pgTransport) listen(ctx context.Context, b *Bus) {
	ready := make(chan struct{})
	go t.loop(ctx, b, ready)
	select {
	case <-ready:
	case <-time.After(5 * time.Second):
	case <-ctx.Done():
	}
}

// loop keeps one LISTEN connection open; after a reconnection every
// subscriber is told to reset (NOTIFYs sent meanwhile are lost).
func (t *pgTransport) loop(ctx context.Context, b *Bus, ready chan struct{}) {
	first := true
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := t.session(ctx, b, func() {
			if first {
				close(ready)
				first = false
			} else {
				b.resetAll()
			}
			backoff = 100 * time.Millisecond
		})
		if ctx.Err() != nil {
			return
		}
		t.log.Warn("live events: LISTEN connection lost, reconnecting", "error", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (t *pgTransport) session(ctx context.Context, b *Bus, listening func()) error {
	cfg := t.cfg.Copy()
	delete(cfg.RuntimeParams, "statement_timeout") // waiting is all it does
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		evs, err := decode(n.Payload)
		if err != nil {
			t.log.Warn("live events: bad NOTIFY payload", "error", err)
			continue
		}
		b.deliver(evs)
	}
}

// decode reads "<seq> [events...]".
func decode(payload string) ([]Event, error) {
	seqText, body, ok := strings.Cut(payload, " ")
	if !ok {
		return nil, fmt.Errorf("no sequence")
	}
	seq, err := strconv.ParseUint(seqText, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("sequence: %w", err)
	}
	var ws []wire
	if err := json.Unmarshal([]byte(body), &ws); err != nil {
		return nil, err
	}
	out := make([]Event, len(ws))
	for i, w := range ws {
		out[i] = Event{ID: seq*idsPerBatch + uint64(i), Type: w.T, Streams: w.S, Data: w.D}
	}
	return out, nil
}
