-- Our composite indexes for importer look-ups, moved out of the baseline so
-- that 00001 is upstream's schema only (PostgreSQL: see postgres/00006).
-- Databases created before the move already have them; IF NOT EXISTS makes
-- this a no-op there. SQLite never shares a file with upstream's server, so
-- no alembic_version is written here.

-- +goose Up

CREATE INDEX IF NOT EXISTS ix_results_run_id_test_id ON results (run_id, test_id);
CREATE INDEX IF NOT EXISTS ix_artifacts_result_id_filename ON artifacts (result_id, filename);
CREATE INDEX IF NOT EXISTS ix_artifacts_run_id_filename ON artifacts (run_id, filename);

-- +goose Down

DROP INDEX IF EXISTS ix_artifacts_run_id_filename;
DROP INDEX IF EXISTS ix_artifacts_result_id_filename;
DROP INDEX IF EXISTS ix_results_run_id_test_id;
