-- Our production indexes for SQLite, on top of the baseline (00001). Besides
-- the composite indexes the PostgreSQL 00002 adds, this mirrors upstream's
-- PostgreSQL-only B-tree indexes that SQLite can express (plain composites and
-- JSON-path expressions). There is no GIN in SQLite, so metadata.tags and
-- metadata.requirements stay unindexed.
--
-- An expression index is used only when the query repeats the expression
-- exactly: write json_extract(data, '$.jenkins.job_name'), not
-- data ->> '$.jenkins.job_name' or json_extract(data, '$."jenkins"."job_name"').

-- +goose Up

-- Result lists: newest first within a project, and a run's results in order.
CREATE INDEX IF NOT EXISTS ix_results_project_id_start_time ON results (project_id, start_time DESC);
CREATE INDEX IF NOT EXISTS ix_results_run_id_start_time ON results (run_id, start_time);
-- Ours (PostgreSQL: 00006), and one upstream creates on PostgreSQL only.
CREATE INDEX IF NOT EXISTS ix_results_run_id_project_id ON results (run_id, project_id);
CREATE INDEX IF NOT EXISTS ix_results_component_env_project ON results (component, env, project_id, start_time DESC);

-- Metadata filters the UI offers.
CREATE INDEX IF NOT EXISTS ix_results_jenkins_job_name ON results (json_extract(data, '$.jenkins.job_name'));
CREATE INDEX IF NOT EXISTS ix_results_jenkins_build_number ON results (json_extract(data, '$.jenkins.build_number'));
CREATE INDEX IF NOT EXISTS ix_results_classification ON results (json_extract(data, '$.classification'));
CREATE INDEX IF NOT EXISTS ix_results_data_component ON results (json_extract(data, '$.component'));
CREATE INDEX IF NOT EXISTS ix_results_data_env ON results (json_extract(data, '$.env'));

-- Run lists and Jenkins look-ups.
CREATE INDEX IF NOT EXISTS ix_runs_project_id_start_time ON runs (project_id, start_time DESC);
CREATE INDEX IF NOT EXISTS ix_runs_jenkins_job_name ON runs (json_extract(data, '$.jenkins.job_name'));
CREATE INDEX IF NOT EXISTS ix_runs_jenkins_build_number ON runs (json_extract(data, '$.jenkins.build_number'));
CREATE INDEX IF NOT EXISTS ix_runs_jjn_jbn ON runs (json_extract(data, '$.jenkins.job_name'), json_extract(data, '$.jenkins.build_number'));

-- Membership look-ups by project (the primary key leads with user_id).
CREATE INDEX IF NOT EXISTS ix_users_projects_project_id ON users_projects (project_id);

-- +goose Down

DROP INDEX IF EXISTS ix_users_projects_project_id;
DROP INDEX IF EXISTS ix_runs_jjn_jbn;
DROP INDEX IF EXISTS ix_runs_jenkins_build_number;
DROP INDEX IF EXISTS ix_runs_jenkins_job_name;
DROP INDEX IF EXISTS ix_runs_project_id_start_time;
DROP INDEX IF EXISTS ix_results_data_env;
DROP INDEX IF EXISTS ix_results_data_component;
DROP INDEX IF EXISTS ix_results_classification;
DROP INDEX IF EXISTS ix_results_jenkins_build_number;
DROP INDEX IF EXISTS ix_results_jenkins_job_name;
DROP INDEX IF EXISTS ix_results_component_env_project;
DROP INDEX IF EXISTS ix_results_run_id_project_id;
DROP INDEX IF EXISTS ix_results_run_id_start_time;
DROP INDEX IF EXISTS ix_results_project_id_start_time;
