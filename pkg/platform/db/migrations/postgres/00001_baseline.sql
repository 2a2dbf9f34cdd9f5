-- Baseline: upstream Ibutsu's PostgreSQL schema exactly as its alembic head
-- in release 3.1.1 (revision d18de2b3253f) leaves it: tables, columns,
-- nullability, server defaults, primary and foreign keys (PostgreSQL's
-- default constraint names where upstream left them unnamed) and every index
-- upstream creates, including the PostgreSQL-only ones. A database built by
-- upstream is adopted by marking this version applied without running it, so
-- nothing here may differ from what upstream produces; a test restores
-- upstream's own pg_dump at that revision and compares the catalogs. Our own
-- objects live in later migrations (00002 onwards). See ../README.md.

-- +goose Up

CREATE TABLE groups (
    id   uuid NOT NULL,
    name text,
    data jsonb,
    CONSTRAINT groups_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_groups_name ON groups (name);

CREATE TABLE users (
    id              uuid    NOT NULL,
    email           text    NOT NULL,
    _password       text,
    name            text,
    activation_code text,
    is_superadmin   boolean NOT NULL,
    is_active       boolean NOT NULL,
    group_id        uuid,
    CONSTRAINT users_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id),
    CONSTRAINT users_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE INDEX ix_users_group_id ON users (group_id);

-- dashboards <-> projects reference each other; the two FKs are added below.
CREATE TABLE dashboards (
    id          uuid NOT NULL,
    title       text,
    description text,
    filters     text,
    project_id  uuid,
    user_id     uuid,
    CONSTRAINT dashboards_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT dashboards_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_dashboards_project_id ON dashboards (project_id);
CREATE INDEX ix_dashboards_title ON dashboards (title);
CREATE INDEX ix_dashboards_user_id ON dashboards (user_id);

CREATE TABLE projects (
    id                   uuid NOT NULL,
    name                 text,
    title                text,
    owner_id             uuid,
    group_id             uuid,
    default_dashboard_id uuid,
    CONSTRAINT projects_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id),
    CONSTRAINT projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id),
    CONSTRAINT projects_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_projects_group_id ON projects (group_id);
CREATE INDEX ix_projects_name ON projects (name);
CREATE INDEX ix_projects_owner_id ON projects (owner_id);
CREATE INDEX ix_projects_title ON projects (title);

ALTER TABLE dashboards
    ADD CONSTRAINT fk_dashboards_project_id FOREIGN KEY (project_id) REFERENCES projects (id);
ALTER TABLE projects
    ADD CONSTRAINT fk_project_default_dashboard FOREIGN KEY (default_dashboard_id) REFERENCES dashboards (id);

CREATE TABLE widget_configs (
    id           uuid NOT NULL,
    project_id   uuid,
    dashboard_id uuid,
    title        text,
    type         text,
    weight       integer,
    widget       text,
    params       jsonb,
    navigable    boolean,
    CONSTRAINT widget_configs_dashboard_id_fkey FOREIGN KEY (dashboard_id) REFERENCES dashboards (id),
    CONSTRAINT widget_configs_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
    CONSTRAINT widget_configs_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_widget_configs_dashboard_id ON widget_configs (dashboard_id);
CREATE INDEX ix_widget_configs_navigable ON widget_configs (navigable);
CREATE INDEX ix_widget_configs_project_id ON widget_configs (project_id);
CREATE INDEX ix_widget_configs_title ON widget_configs (title);
CREATE INDEX ix_widget_configs_type ON widget_configs (type);
CREATE INDEX ix_widget_configs_weight ON widget_configs (weight);
CREATE INDEX ix_widget_configs_widget ON widget_configs (widget);

CREATE TABLE imports (
    id       uuid NOT NULL,
    filename text,
    format   text,
    data     jsonb,
    status   text,
    created  timestamp without time zone NOT NULL DEFAULT now(),
    CONSTRAINT imports_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_imports_created ON imports (created);
CREATE INDEX ix_imports_filename ON imports (filename);
CREATE INDEX ix_imports_format ON imports (format);
CREATE INDEX ix_imports_status ON imports (status);

CREATE TABLE import_files (
    id        uuid NOT NULL,
    import_id uuid NOT NULL,
    content   bytea,
    CONSTRAINT import_files_import_id_fkey FOREIGN KEY (import_id) REFERENCES imports (id) ON DELETE CASCADE,
    CONSTRAINT import_files_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_import_files_import_id ON import_files (import_id);

CREATE TABLE runs (
    id         uuid NOT NULL,
    project_id uuid,
    data       jsonb,
    env        text,
    component  text,
    source     text,
    start_time timestamp without time zone NOT NULL,
    duration   double precision,
    summary    jsonb,
    created    timestamp without time zone NOT NULL,
    CONSTRAINT runs_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
    CONSTRAINT runs_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_runs_component ON runs (component);
CREATE INDEX ix_runs_created ON runs (created);
CREATE INDEX ix_runs_duration ON runs (duration);
CREATE INDEX ix_runs_env ON runs (env);
CREATE INDEX ix_runs_project_id ON runs (project_id);
CREATE INDEX ix_runs_source ON runs (source);
CREATE INDEX ix_runs_start_time ON runs (start_time);
-- PostgreSQL-only upstream indexes (fc3df1d9ee4e, d18de2b3253f).
CREATE INDEX ix_runs_jenkins_build_number ON runs (((data -> 'jenkins') ->> 'build_number'));
CREATE INDEX ix_runs_jenkins_job_name ON runs (((data -> 'jenkins') ->> 'job_name'));
CREATE INDEX ix_runs_jjn_jbn ON runs (((data -> 'jenkins') ->> 'job_name'), ((data -> 'jenkins') ->> 'build_number'));
CREATE INDEX ix_runs_summary ON runs USING gin (summary);
CREATE INDEX ix_runs_tags ON runs USING gin ((data -> 'tags'));
-- NB: the cast makes any INSERT/UPDATE whose summary.pass_percent is not an
-- integer (e.g. 87.5 or "n/a") fail. Always store an integer there.
CREATE INDEX ix_runs_pass_percent ON runs ((((summary ->> 'pass_percent'))::integer));

CREATE TABLE results (
    id         uuid NOT NULL,
    project_id uuid,
    run_id     uuid,
    test_id    text,
    result     text,
    data       jsonb,
    params     jsonb,
    duration   double precision,
    start_time timestamp without time zone NOT NULL,
    source     text,
    env        text,
    component  text,
    CONSTRAINT results_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
    CONSTRAINT results_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id),
    CONSTRAINT results_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_results_component ON results (component);
CREATE INDEX ix_results_duration ON results (duration);
CREATE INDEX ix_results_env ON results (env);
CREATE INDEX ix_results_project_id ON results (project_id);
CREATE INDEX ix_results_result ON results (result);
CREATE INDEX ix_results_run_id ON results (run_id);
CREATE INDEX ix_results_source ON results (source);
CREATE INDEX ix_results_start_time ON results (start_time);
CREATE INDEX ix_results_test_id ON results (test_id);
-- PostgreSQL-only upstream indexes (fc3df1d9ee4e).
CREATE INDEX ix_results_assignee ON results ((data ->> 'assignee'));
CREATE INDEX ix_results_classification ON results ((data ->> 'classification'));
CREATE INDEX ix_results_component_env_project ON results (component, env, project_id, start_time DESC);
CREATE INDEX ix_results_component_start_time_result_project_id ON results (component, start_time, result, project_id);
CREATE INDEX ix_results_exception_name ON results ((data ->> 'exception_name'));
CREATE INDEX ix_results_jenkins_build_number ON results (((data -> 'jenkins') ->> 'build_number'));
CREATE INDEX ix_results_jenkins_job_name ON results (((data -> 'jenkins') ->> 'job_name'));
CREATE INDEX ix_results_requirements ON results USING gin ((data -> 'requirements'));
CREATE INDEX ix_results_result_satver_project_id_run_id_snapver
    ON results (result, (data ->> 'SatelliteVersion'), project_id, run_id, (data ->> 'SnapVersion'));
CREATE INDEX ix_results_tags ON results USING gin ((data -> 'tags'));

CREATE TABLE artifacts (
    id          uuid NOT NULL,
    content     bytea,
    result_id   uuid,
    run_id      uuid,
    filename    text,
    data        jsonb,
    upload_date timestamp without time zone NOT NULL,
    CONSTRAINT artifacts_result_id_fkey FOREIGN KEY (result_id) REFERENCES results (id),
    CONSTRAINT artifacts_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id),
    CONSTRAINT artifacts_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_artifacts_filename ON artifacts (filename);
CREATE INDEX ix_artifacts_result_id ON artifacts (result_id);
CREATE INDEX ix_artifacts_run_id ON artifacts (run_id);
CREATE INDEX ix_artifacts_upload_date ON artifacts (upload_date);

CREATE TABLE tokens (
    id      uuid NOT NULL,
    name    text NOT NULL,
    token   text NOT NULL,
    expires timestamp without time zone,
    user_id uuid,
    CONSTRAINT tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT tokens_pkey PRIMARY KEY (id)
);
CREATE INDEX ix_tokens_user_id ON tokens (user_id);

CREATE TABLE users_projects (
    user_id    uuid NOT NULL,
    project_id uuid NOT NULL,
    CONSTRAINT users_projects_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
    CONSTRAINT users_projects_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT users_projects_pkey PRIMARY KEY (user_id, project_id)
);

-- +goose Down

DROP TABLE users_projects;
DROP TABLE tokens;
DROP TABLE artifacts;
DROP TABLE results;
DROP TABLE runs;
DROP TABLE import_files;
DROP TABLE imports;
DROP TABLE widget_configs;
ALTER TABLE projects DROP CONSTRAINT fk_project_default_dashboard;
DROP TABLE dashboards;
DROP TABLE projects;
DROP TABLE users;
DROP TABLE groups;
