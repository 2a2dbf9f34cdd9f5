package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// ErrNotUpstreamReady is returned by DownToUpstream when the database is not
// at a state it can hand back to upstream's server.
var ErrNotUpstreamReady = errors.New("database cannot be handed back to upstream")

// DownToUpstream removes every object of ours from a PostgreSQL database so
// that its schema is exactly upstream 3.1.1's head again and upstream's
// server can take it over (`backend migrate --down-to-upstream`). Rows in
// upstream's tables are kept. Before our chunk table is dropped, every
// uploaded import file stored there in chunks is written back whole into
// import_files.content, where upstream reads it. Per-project retention
// settings and result counts are ours only and are dropped. Our goose
// version table goes too, so a later `backend migrate` adopts the database
// again like any upstream one. Everything happens in one transaction: it
// succeeds or changes nothing. Stop every server, worker and scheduler of
// ours first.
func (d *DB) DownToUpstream(ctx context.Context, log *slog.Logger) error {
	if d.Dialect != Postgres {
		return fmt.Errorf("%w: only a PostgreSQL database is shared with upstream's server", ErrNotUpstreamReady)
	}
	mdb := d.migrationDB()
	defer func() { _ = mdb.Close() }() // a private pool for this run: closing drops its idle connections
	return withMigrationLock(ctx, mdb, "down to upstream", log, func() error { return d.downLocked(ctx, mdb, log) })
}

// downLocked is DownToUpstream once the migration lock is held.
func (d *DB) downLocked(ctx context.Context, mdb *sql.DB, log *slog.Logger) error {
	if ok, err := d.tableExistsOn(ctx, mdb, "alembic_version"); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("%w: no alembic_version table; run `backend migrate` first", ErrNotUpstreamReady)
	}
	if rev, err := readAlembicRevision(ctx, mdb); err != nil {
		return err
	} else if rev != UpstreamHead {
		return fmt.Errorf("%w: alembic_version is %q, want %s; run `backend migrate` first", ErrNotUpstreamReady, rev, UpstreamHead)
	}

	tx, err := mdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("down to upstream: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after commit
	if err := downToUpstream(ctx, tx, log); err != nil {
		return fmt.Errorf("down to upstream: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("down to upstream: %w", err)
	}
	log.Info("database handed back to upstream", "alembic_revision", UpstreamHead)
	return nil
}

func downToUpstream(ctx context.Context, tx *sql.Tx, log *slog.Logger) error {
	// Upstream reads artifact bytes only from artifacts.content: those kept
	// in the object store must come back first.
	var objects, inStore bool
	if err := tx.QueryRowContext(ctx, "SELECT to_regclass('ibutsu_artifact_objects') IS NOT NULL").Scan(&objects); err != nil {
		return err
	}
	if objects {
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM ibutsu_artifact_objects o JOIN artifacts a ON a.id = o.artifact_id)").Scan(&inStore); err != nil {
			return err
		}
	}
	if inStore {
		return fmt.Errorf("%w: artifacts are in the object store; run `backend artifacts migrate --to-database` first", ErrNotUpstreamReady)
	}
	var chunks bool
	if err := tx.QueryRowContext(ctx, "SELECT to_regclass('ibutsu_import_chunks') IS NOT NULL").Scan(&chunks); err != nil {
		return err
	}
	if chunks {
		res, err := tx.ExecContext(ctx, `UPDATE import_files AS f SET content = c.data
			FROM (SELECT file_id, string_agg(data, ''::bytea ORDER BY seq) AS data
			      FROM ibutsu_import_chunks GROUP BY file_id) AS c
			WHERE f.id = c.file_id AND f.content IS NULL`)
		if err != nil {
			return fmt.Errorf("write chunked import files back: %w", err)
		}
		n, _ := res.RowsAffected()
		log.Info("wrote chunked import files back into import_files.content", "files", n)
	}

	var stmts []string
	collect := func(q string, args ...any) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			stmts = append(stmts, s)
		}
		return rows.Err()
	}
	// Our triggers on upstream's tables, then our tables, sequences (IF
	// EXISTS: a serial column's sequence goes with its table),
	// functions, and indexes on upstream's tables. Everything of ours is named ibutsu_*
	// except indexes, which are told apart by upstream's list of names.
	if err := collect(`SELECT format('DROP TRIGGER %I ON %I', tg.tgname, c.relname)
		FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE NOT tg.tgisinternal AND n.nspname = current_schema() AND tg.tgname LIKE 'ibutsu\_%'
		ORDER BY 1`); err != nil {
		return err
	}
	if err := collect(`SELECT format('DROP TABLE %I CASCADE', c.relname)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
		  AND (c.relname LIKE 'ibutsu\_%' OR c.relname = $1) ORDER BY 1`, versionTable); err != nil {
		return err
	}
	if err := collect(`SELECT format('DROP SEQUENCE IF EXISTS %I', c.relname)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'S' AND n.nspname = current_schema() AND c.relname LIKE 'ibutsu\_%' ORDER BY 1`); err != nil {
		return err
	}
	if err := collect(`SELECT format('DROP FUNCTION %s', p.oid::regprocedure)
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = current_schema() AND p.proname LIKE 'ibutsu\_%' ORDER BY 1`); err != nil {
		return err
	}
	var names []string
	for n := range upstreamIndexes {
		names = append(names, n)
	}
	if err := collect(`SELECT format('DROP INDEX %I', ic.relname)
		FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = current_schema() AND t.relname = ANY($1) AND NOT (ic.relname = ANY($2))
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
		ORDER BY 1`, upstreamTableNames, names); err != nil {
		return err
	}
	for _, s := range stmts {
		log.Info("down to upstream", "statement", s)
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", strings.TrimSpace(s), err)
		}
	}
	return nil
}
