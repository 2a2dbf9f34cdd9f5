-- Runs of one Jenkins job in a project, newest first: the jenkins-job-view
-- and jenkins-heatmap widgets read a job's latest runs until they have the
-- builds they show (pkg/widget/store_jenkins.go), and count a job's
-- builds. Without this index those reads walk the project's runs of every
-- job by start time; with it, only the job's own runs.
--
-- Outside a transaction and CONCURRENTLY, as 00002: writers to runs are not
-- blocked while it builds (Migrate drops an INVALID index an interrupted
-- build left, and the rerun builds it again).

-- +goose NO TRANSACTION

-- +goose Up

CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_runs_project_id_job_name_start_time
    ON runs (project_id, ((data -> 'jenkins') ->> 'job_name'), start_time DESC);

-- +goose Down

DROP INDEX CONCURRENTLY IF EXISTS ix_runs_project_id_job_name_start_time;
