package bench

import (
	"context"
	"fmt"
	"time"
)

// The ingest loads write into tables with many indexes. Right after a
// checkpoint, the first change to each page writes a full-page image (FPI)
// into the WAL, so a load that starts just after one writes far more WAL
// per row than one that starts later in the cycle; with max_wal_size 1 GB
// checkpoints come often at 10M results, and the API and its limit could
// land at different points of the cycle. Each measured ingest load
// therefore starts right after a CHECKPOINT (unless Options.NoCheckpoint),
// and the rows record the WAL and FPI bytes each load wrote per row.

// walMark is the WAL position a measured load started at ("" when the
// position cannot be read).
type walMark string

// walUse is the WAL that measured loads wrote: bytes in all, bytes of
// full-page images (fpi < 0: unknown, pg_walinspect missing), and rows.
type walUse struct {
	bytes, fpi float64
	rows       int
}

func (w walUse) add(o walUse) walUse {
	fpi := w.fpi + o.fpi
	if w.fpi < 0 || o.fpi < 0 {
		fpi = -1
	}
	return walUse{bytes: w.bytes + o.bytes, fpi: fpi, rows: w.rows + o.rows}
}

// String is the use per row, for a row's detail.
func (w walUse) String() string {
	if w.rows == 0 {
		return "WAL ?"
	}
	s := fmt.Sprintf("WAL %.0f B/row", w.bytes/float64(w.rows))
	if w.fpi >= 0 {
		s += fmt.Sprintf(" (FPI %.0f B/row)", w.fpi/float64(w.rows))
	}
	return s
}

// walStart begins a measured load: a CHECKPOINT (so that every load starts
// at the same point of the checkpoint cycle), then the WAL position.
func (e *Env) walStart(ctx context.Context) (walMark, error) {
	if !e.opts.NoCheckpoint {
		if _, err := e.Raw.Exec(ctx, "CHECKPOINT"); err != nil {
			return "", fmt.Errorf("checkpoint before a measured load: %w", err)
		}
	}
	var lsn string
	if err := e.Raw.QueryRow(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&lsn); err != nil {
		return "", fmt.Errorf("read the WAL position: %w", err)
	}
	return walMark(lsn), nil
}

// walSince is the WAL written since m by a load of rows rows: the bytes
// from the WAL positions, the FPI bytes from pg_walinspect when the
// database has it (the WAL of the whole cluster: other databases' writes
// in the same seconds count too). pg_walinspect reads only flushed WAL, so
// it waits (up to 2 s) for the WAL writer to flush what the load wrote,
// which matters with synchronous_commit off.
func (e *Env) walSince(ctx context.Context, m walMark, rows int) (walUse, error) {
	u := walUse{fpi: -1, rows: rows}
	var end string
	err := e.Raw.QueryRow(ctx, "SELECT pg_current_wal_insert_lsn()::text, pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::float8", string(m)).Scan(&end, &u.bytes)
	if err != nil {
		return u, fmt.Errorf("read the WAL position: %w", err)
	}
	if !e.walinspect {
		return u, nil
	}
	if u.bytes <= 0 {
		u.fpi = 0
		return u, nil
	}
	for deadline := time.Now().Add(2 * time.Second); ; {
		var flushed bool
		if err := e.Raw.QueryRow(ctx, "SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn", end).Scan(&flushed); err != nil {
			return u, fmt.Errorf("read the WAL flush position: %w", err)
		}
		if flushed {
			break
		}
		if time.Now().After(deadline) {
			return u, nil // FPI unknown
		}
		time.Sleep(20 * time.Millisecond)
	}
	err = e.Raw.QueryRow(ctx, "SELECT coalesce(sum(fpi_size), 0)::float8 FROM pg_get_wal_stats($1::pg_lsn, $2::pg_lsn, false)", string(m), end).Scan(&u.fpi)
	if err != nil {
		// The segments may already be recycled (a small max_wal_size, a
		// checkpoint during the load): the images are unknown, which the
		// row says; the load itself was measured and stands.
		e.log.Info("full-page images of a load unknown: cannot read its WAL", "error", err)
		u.fpi = -1
	}
	return u, nil
}

// enableWALInspect installs pg_walinspect in the benchmark database when
// the server has it; without it the rows report WAL bytes only.
func (e *Env) enableWALInspect(ctx context.Context) {
	_, err := e.Raw.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_walinspect")
	e.walinspect = err == nil
	if err != nil {
		e.log.Info("pg_walinspect not available; ingest rows report WAL bytes without full-page images", "error", err)
	}
}

// checkpointNote says, in a row's detail, how the loads were started.
func (e *Env) checkpointNote() string {
	if e.opts.NoCheckpoint {
		return "; no CHECKPOINT before the loads"
	}
	return "; each load after a CHECKPOINT"
}
