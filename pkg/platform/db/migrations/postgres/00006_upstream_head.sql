-- Converges every database to one schema: upstream 3.1.1's head (00001, or an
-- adopted upstream database) plus our objects. Runs outside a transaction so
-- that the indexes are built CONCURRENTLY: on an adopted database with
-- millions of results, writers keep writing while they are built. Every
-- statement is idempotent, so a rerun after an interruption finishes the job
-- (Migrate drops an index an interrupted build left INVALID before it runs).
--
-- * alembic_version = d18de2b3253f (upstream 3.1.1's head) on databases we
--   created, so upstream's `alembic upgrade head` is a no-op and the Python
--   server can take the database over (see docs/operations.md). An adopted
--   database already holds that revision (Migrate brings older ones there).
-- * Our four composite indexes, which earlier versions of 00001 created
--   (databases created before the move already have them): importer
--   idempotency look-ups and run pages filtered by run and project.

-- +goose NO TRANSACTION

-- +goose Up

CREATE TABLE IF NOT EXISTS alembic_version (
    version_num character varying(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version (version_num)
SELECT 'd18de2b3253f' WHERE NOT EXISTS (SELECT 1 FROM alembic_version);

CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_results_run_id_project_id ON results (run_id, project_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_results_run_id_test_id ON results (run_id, test_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_artifacts_result_id_filename ON artifacts (result_id, filename);
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_artifacts_run_id_filename ON artifacts (run_id, filename);

-- +goose Down

DROP INDEX CONCURRENTLY IF EXISTS ix_artifacts_run_id_filename;
DROP INDEX CONCURRENTLY IF EXISTS ix_artifacts_result_id_filename;
DROP INDEX CONCURRENTLY IF EXISTS ix_results_run_id_test_id;
DROP INDEX CONCURRENTLY IF EXISTS ix_results_run_id_project_id;
