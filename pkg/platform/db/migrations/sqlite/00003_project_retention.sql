-- Per-project retention, in our own table (see ../postgres/00003): one row
-- per project that overrides the global prune defaults; each column is a
-- number of days, NULL = use the default, 0 = keep forever.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_project_retention (
    project_id    TEXT    NOT NULL,
    import_days   INTEGER,
    artifact_days INTEGER,
    result_days   INTEGER,
    run_days      INTEGER,
    CONSTRAINT ibutsu_project_retention_pkey PRIMARY KEY (project_id),
    CONSTRAINT ibutsu_project_retention_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
    CONSTRAINT ibutsu_project_retention_days_check CHECK (
        (import_days IS NULL OR import_days >= 0) AND (artifact_days IS NULL OR artifact_days >= 0) AND
        (result_days IS NULL OR result_days >= 0) AND (run_days IS NULL OR run_days >= 0))
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_project_retention;
