package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/pressly/goose/v3/database"
)

// ErrUpstreamRevision is returned when a database built by upstream's
// alembic cannot be adopted as it is; the message says what to run.
var ErrUpstreamRevision = errors.New("cannot adopt upstream database")

// adoptUpstream takes over a database built by upstream's alembic
// (alembic_version present) that has never seen our migrations. At
// upstream's head it only marks our baseline as applied. At an older
// revision of upstream's chain it first applies upstream's missing steps
// itself, schema and data, so the database is exactly what upstream's head
// would make of it; an unknown revision stops with ErrUpstreamRevision.
// It runs on mdb (no statement timeout) under the migration lock.
func (d *DB) adoptUpstream(ctx context.Context, mdb *sql.DB, log *slog.Logger) error {
	hasAlembic, err := d.tableExistsOn(ctx, mdb, "alembic_version")
	if err != nil || !hasAlembic {
		return err
	}
	hasOurs, err := d.tableExistsOn(ctx, mdb, versionTable)
	if err != nil || hasOurs {
		return err
	}
	rev, err := readAlembicRevision(ctx, mdb)
	if err != nil {
		return err
	}
	pos := upstreamRevisionIndex(rev)
	if pos < 0 {
		return fmt.Errorf("%w: alembic_version is %q, which is not a revision of upstream Ibutsu 3.1.1 (%s); "+
			"bring the database to %s with that release's `alembic upgrade`/`downgrade` first",
			ErrUpstreamRevision, rev, strings.Join(upstreamChain, " -> "), UpstreamHead)
	}
	if d.Dialect == Postgres && pos < len(upstreamChain)-1 {
		if err := catchUpUpstream(ctx, mdb, rev, pos, log); err != nil {
			return err
		}
	}
	if err := markBaseline(ctx, mdb, d.Dialect); err != nil {
		return err
	}
	log.Info("adopted a database created by upstream Ibutsu", "alembic_revision", rev, "now_at", UpstreamHead, "baseline_version", baselineVersion)
	return nil
}

// readAlembicRevision reads the single row upstream's alembic keeps.
func readAlembicRevision(ctx context.Context, q *sql.DB) (string, error) {
	rows, err := q.QueryContext(ctx, "SELECT version_num FROM alembic_version")
	if err != nil {
		return "", fmt.Errorf("adopt upstream database: read alembic_version: %w", err)
	}
	defer rows.Close()
	var revs []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return "", fmt.Errorf("adopt upstream database: read alembic_version: %w", err)
		}
		revs = append(revs, r)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("adopt upstream database: read alembic_version: %w", err)
	}
	if len(revs) != 1 {
		return "", fmt.Errorf("%w: alembic_version holds %d rows %q, want exactly one revision of upstream Ibutsu 3.1.1; "+
			"run that release's `alembic upgrade head` first", ErrUpstreamRevision, len(revs), revs)
	}
	return revs[0], nil
}

// catchUpUpstream applies, in order, every step of upstream's chain after
// rev (at position pos). Each step is idempotent and alembic_version moves
// to the head only at the very end (markBaseline), so a run that stops half
// way is simply repeated. Indexes are built CONCURRENTLY, and the
// pass-percent backfill runs in short batches, so writers are not blocked
// for long on a large database.
func catchUpUpstream(ctx context.Context, mdb *sql.DB, rev string, pos int, log *slog.Logger) error {
	fail := func(step string, err error) error {
		return fmt.Errorf("adopt upstream database at %s: %s: %w", rev, step, err)
	}
	applied := func(r string) bool { return pos >= upstreamRevisionIndex(r) }

	// e5736dbcc0b0 moves one project's data into another by fixed ids; we do
	// not repeat that. It changes nothing on a database without that
	// project, so only such a database is stopped, before any change.
	if !applied(upstreamMergeRevision) {
		var n int
		if err := mdb.QueryRowContext(ctx, "SELECT count(*) FROM projects WHERE id = $1", upstreamMergeFromProject).Scan(&n); err != nil {
			return fail("look up project", err)
		}
		if n > 0 {
			return fmt.Errorf("%w: alembic revision %s and project %s present: upstream's %s moves that project's data; "+
				"run `alembic upgrade head` with ibutsu-server 3.1.1 first, then `backend migrate`",
				ErrUpstreamRevision, rev, upstreamMergeFromProject, upstreamMergeRevision)
		}
	}

	tx, err := mdb.BeginTx(ctx, nil)
	if err != nil {
		return fail("begin", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after commit
	var stmts []string
	if !applied("fc3df1d9ee4e") {
		stmts = append(stmts, "DROP TABLE IF EXISTS meta")
	}
	if !applied("53994db980f1") {
		stmts = append(stmts,
			"UPDATE imports SET created = now() WHERE created IS NULL",
			"ALTER TABLE imports ALTER COLUMN created SET DEFAULT now(), ALTER COLUMN created SET NOT NULL")
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fail(s, err)
		}
	}
	if !applied("8cf9148b9ad9") {
		if err := cascadeImportFiles(ctx, tx); err != nil {
			return fail("import_files foreign key", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail("commit", err)
	}

	if !applied(UpstreamHead) {
		total := 0
		for {
			res, err := mdb.ExecContext(ctx, passPercentBackfillSQL(), passPercentBatch)
			if err != nil {
				return fail("backfill runs.summary.pass_percent", err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return fail("backfill runs.summary.pass_percent", err)
			}
			total += int(n)
			if n < passPercentBatch {
				break
			}
		}
		log.Info("backfilled runs.summary.pass_percent", "runs", total)
	}

	if err := dropInvalidIndexes(ctx, mdb, log); err != nil {
		return err
	}
	var indexes []string
	if !applied("fc3df1d9ee4e") {
		for _, ix := range upstreamMetaIndexes {
			indexes = append(indexes, "CREATE INDEX CONCURRENTLY IF NOT EXISTS "+ix.name+" ON "+ix.def)
		}
	}
	if !applied(UpstreamHead) {
		indexes = append(indexes, "CREATE INDEX CONCURRENTLY IF NOT EXISTS "+upstreamPassPercentIndex+" ON "+upstreamPassPercentIndexDef)
	}
	for _, s := range indexes {
		if _, err := mdb.ExecContext(ctx, s); err != nil {
			return fail(s, err)
		}
	}
	log.Info("applied upstream's missing alembic steps", "from", rev, "to", UpstreamHead)
	return nil
}

// cascadeImportFiles re-creates the import_files -> imports foreign key with
// ON DELETE CASCADE under the name it has (8cf9148b9ad9 looks it up too).
func cascadeImportFiles(ctx context.Context, tx *sql.Tx) error {
	name := "import_files_import_id_fkey"
	err := tx.QueryRowContext(ctx, `SELECT c.conname FROM pg_constraint c
		JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = 'import_files'
		  AND c.confrelid = 'imports'::regclass
		  AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = t.oid AND attname = 'import_id')]`).Scan(&name)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	quoted := `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	if !errors.Is(err, sql.ErrNoRows) {
		if _, err := tx.ExecContext(ctx, "ALTER TABLE import_files DROP CONSTRAINT "+quoted); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, "ALTER TABLE import_files ADD CONSTRAINT "+quoted+
		" FOREIGN KEY (import_id) REFERENCES imports (id) ON DELETE CASCADE")
	return err
}

// markBaseline records our baseline as applied (upstream's tables are it)
// and, on PostgreSQL, alembic_version at upstream's head.
func markBaseline(ctx context.Context, mdb *sql.DB, dialect Dialect) error {
	gd := database.DialectPostgres
	if dialect == SQLite {
		gd = database.DialectSQLite3
	}
	store, err := database.NewStore(gd, versionTable)
	if err != nil {
		return fmt.Errorf("adopt upstream database: %w", err)
	}
	tx, err := mdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("adopt upstream database: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after commit
	if dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "UPDATE alembic_version SET version_num = $1", UpstreamHead); err != nil {
			return fmt.Errorf("adopt upstream database: %w", err)
		}
	}
	if err := store.CreateVersionTable(ctx, tx); err != nil {
		return fmt.Errorf("adopt upstream database: %w", err)
	}
	for _, v := range []int64{0, baselineVersion} {
		if err := store.Insert(ctx, tx, database.InsertRequest{Version: v}); err != nil {
			return fmt.Errorf("adopt upstream database: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("adopt upstream database: %w", err)
	}
	return nil
}

// dropInvalidIndexes drops the indexes we build CONCURRENTLY that an
// interrupted build left INVALID: CREATE INDEX ... IF NOT EXISTS would
// otherwise skip them and leave a useless index behind.
func dropInvalidIndexes(ctx context.Context, mdb *sql.DB, log *slog.Logger) error {
	rows, err := mdb.QueryContext(ctx, `SELECT c.relname FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE NOT i.indisvalid AND n.nspname = current_schema() AND c.relname = ANY($1)`, concurrentIndexes())
	if err != nil {
		return fmt.Errorf("migrate: look up invalid indexes: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: look up invalid indexes: %w", err)
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate: look up invalid indexes: %w", err)
	}
	for _, n := range names {
		log.Warn("dropping an index an interrupted build left invalid", "index", n)
		if _, err := mdb.ExecContext(ctx, "DROP INDEX CONCURRENTLY IF EXISTS "+n); err != nil {
			return fmt.Errorf("migrate: drop invalid index %s: %w", n, err)
		}
	}
	return nil
}

func (d *DB) tableExistsOn(ctx context.Context, q *sql.DB, name string) (bool, error) {
	query := "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
	if d.Dialect == SQLite {
		query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	}
	var n int
	if err := q.QueryRowContext(ctx, query, name).Scan(&n); err != nil {
		return false, fmt.Errorf("look up table %s: %w", name, err)
	}
	return n > 0, nil
}
