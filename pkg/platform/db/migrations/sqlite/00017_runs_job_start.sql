-- Runs of one Jenkins job in a project, newest first (see ../postgres/00017).
-- SQLite uses an expression index only when the query repeats the
-- expression exactly; the widgets bind JSON paths as arguments, so this
-- serves hand-written queries and keeps the schemas alike.

-- +goose Up

CREATE INDEX IF NOT EXISTS ix_runs_project_id_job_name_start_time
    ON runs (project_id, json_extract(data, '$.jenkins.job_name'), start_time DESC);

-- +goose Down

DROP INDEX IF EXISTS ix_runs_project_id_job_name_start_time;
