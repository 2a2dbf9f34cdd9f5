-- Our production indexes, on top of upstream's (00001). Every statement is
-- IF NOT EXISTS and uses a name upstream does not use, so this runs safely on
-- a database adopted from upstream. Indexes upstream already has under the
-- same definition are not repeated here (see ../README.md for the list); in
-- particular a single-column ascending B-tree serves ORDER BY ... DESC by a
-- backward scan, so results/runs(start_time DESC) and imports(created DESC)
-- are covered by ix_results_start_time, ix_runs_start_time, ix_imports_created.
-- No extension (pg_trgm etc.) is required.
--
-- The first migration an adopted upstream database runs: it is outside a
-- transaction and builds CONCURRENTLY, so writers to a large results table
-- are not blocked while it runs (Migrate drops an index an interrupted build
-- left INVALID, and the rerun builds it again).

-- +goose NO TRANSACTION

-- +goose Up

-- Result lists: newest first within a project, and a run's results in order.
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_results_project_id_start_time ON results (project_id, start_time DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_results_run_id_start_time ON results (run_id, start_time);

-- Metadata filters the UI offers that upstream does not index
-- (metadata.jenkins.*, metadata.classification and metadata.tags are).
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_results_data_component ON results ((data ->> 'component'));
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_results_data_env ON results ((data ->> 'env'));

-- Run lists: newest first within a project.
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_runs_project_id_start_time ON runs (project_id, start_time DESC);

-- Membership look-ups by project (the primary key leads with user_id).
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_users_projects_project_id ON users_projects (project_id);

-- +goose Down

DROP INDEX CONCURRENTLY IF EXISTS ix_users_projects_project_id;
DROP INDEX CONCURRENTLY IF EXISTS ix_runs_project_id_start_time;
DROP INDEX CONCURRENTLY IF EXISTS ix_results_data_env;
DROP INDEX CONCURRENTLY IF EXISTS ix_results_data_component;
DROP INDEX CONCURRENTLY IF EXISTS ix_results_run_id_start_time;
DROP INDEX CONCURRENTLY IF EXISTS ix_results_project_id_start_time;
