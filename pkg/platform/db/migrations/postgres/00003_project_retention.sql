-- Per-project retention, in our own table so upstream's tables stay exactly
-- as upstream builds them (a Python server may share the database). One row
-- per project that overrides the global prune defaults (the task payloads):
-- each column is a number of days, NULL = use the default, 0 = keep forever.
-- The row goes with its project.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_project_retention (
    project_id    uuid    NOT NULL,
    import_days   integer,
    artifact_days integer,
    result_days   integer,
    run_days      integer,
    CONSTRAINT ibutsu_project_retention_pkey PRIMARY KEY (project_id),
    CONSTRAINT ibutsu_project_retention_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
    CONSTRAINT ibutsu_project_retention_days_check CHECK (
        (import_days IS NULL OR import_days >= 0) AND (artifact_days IS NULL OR artifact_days >= 0) AND
        (result_days IS NULL OR result_days >= 0) AND (run_days IS NULL OR run_days >= 0))
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_project_retention;
