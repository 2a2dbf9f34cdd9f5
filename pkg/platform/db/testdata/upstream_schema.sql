-- A database as upstream Ibutsu's alembic leaves it at head (c4d5e6f7a8b9),
-- with a little realistic data. Plain SQL, run in one go (no psql
-- meta-commands). Used by TestAdoptUpstreamDatabase to prove that adopting
-- such a database keeps every row. The DDL is the Up part of
-- migrations/postgres/00001_baseline.sql; keep the two in step.
--
-- The sample user's password is "password" (bcrypt, $2b$ as Python's bcrypt
-- writes it).


CREATE TABLE groups (
    id   uuid NOT NULL,
    name text,
    data jsonb,
    CONSTRAINT groups_pkey PRIMARY KEY (id),
    CONSTRAINT groups_id_key UNIQUE (id)
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
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_id_key UNIQUE (id)
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
    CONSTRAINT dashboards_pkey PRIMARY KEY (id),
    CONSTRAINT dashboards_id_key UNIQUE (id)
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
    CONSTRAINT projects_pkey PRIMARY KEY (id),
    CONSTRAINT projects_id_key UNIQUE (id)
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
    CONSTRAINT widget_configs_pkey PRIMARY KEY (id),
    CONSTRAINT widget_configs_id_key UNIQUE (id)
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
    CONSTRAINT imports_pkey PRIMARY KEY (id),
    CONSTRAINT imports_id_key UNIQUE (id)
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
    CONSTRAINT import_files_pkey PRIMARY KEY (id),
    CONSTRAINT import_files_id_key UNIQUE (id)
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
    CONSTRAINT runs_pkey PRIMARY KEY (id),
    CONSTRAINT runs_id_key UNIQUE (id)
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
    CONSTRAINT results_pkey PRIMARY KEY (id),
    CONSTRAINT results_id_key UNIQUE (id)
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
-- PostgreSQL-only upstream indexes (fc3df1d9ee4e, efdaeff6dc95).
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
CREATE INDEX ix_results_run_id_project_id ON results (run_id, project_id);
-- Both dialects upstream (c4d5e6f7a8b9).
CREATE INDEX ix_results_run_id_test_id ON results (run_id, test_id);

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
    CONSTRAINT artifacts_pkey PRIMARY KEY (id),
    CONSTRAINT artifacts_id_key UNIQUE (id)
);
CREATE INDEX ix_artifacts_filename ON artifacts (filename);
CREATE INDEX ix_artifacts_result_id ON artifacts (result_id);
CREATE INDEX ix_artifacts_run_id ON artifacts (run_id);
CREATE INDEX ix_artifacts_upload_date ON artifacts (upload_date);
-- Both dialects upstream (c4d5e6f7a8b9).
CREATE INDEX ix_artifacts_result_id_filename ON artifacts (result_id, filename);
CREATE INDEX ix_artifacts_run_id_filename ON artifacts (run_id, filename);

CREATE TABLE tokens (
    id      uuid NOT NULL,
    name    text NOT NULL,
    token   text NOT NULL,
    expires timestamp without time zone,
    user_id uuid,
    CONSTRAINT tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT tokens_pkey PRIMARY KEY (id),
    CONSTRAINT tokens_id_key UNIQUE (id)
);
CREATE INDEX ix_tokens_user_id ON tokens (user_id);

CREATE TABLE users_projects (
    user_id    uuid NOT NULL,
    project_id uuid NOT NULL,
    CONSTRAINT users_projects_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
    CONSTRAINT users_projects_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT users_projects_pkey PRIMARY KEY (user_id, project_id)
);

-- Alembic's bookkeeping.
CREATE TABLE alembic_version (
    version_num varchar(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version (version_num) VALUES ('c4d5e6f7a8b9');

-- Sample data ------------------------------------------------------------

INSERT INTO groups (id, name, data) VALUES
    ('0a7c2e53-6f1d-4b0e-9c38-5d2f8e1b4a70', 'Quality Engineering', '{"description": "QE group"}');

INSERT INTO users (id, email, _password, name, activation_code, is_superadmin, is_active, group_id) VALUES
    ('5c3b8a7e-2d41-4f6a-b0c9-8e7d1f2a3b45', 'jdoe@example.com',
     '$2b$12$gopD.zGm30w05dr65FbvN.VXO75Pm7GxOZ0Nn5ohsT/HuHFPAiyfi',
     'Jane Doe', NULL, true, true, '0a7c2e53-6f1d-4b0e-9c38-5d2f8e1b4a70');

INSERT INTO projects (id, name, title, owner_id, group_id, default_dashboard_id) VALUES
    ('44941c55-9736-42f6-acce-ca3c4739d0f3', 'my-project', 'My Project',
     '5c3b8a7e-2d41-4f6a-b0c9-8e7d1f2a3b45', '0a7c2e53-6f1d-4b0e-9c38-5d2f8e1b4a70', NULL);

INSERT INTO users_projects (user_id, project_id) VALUES
    ('5c3b8a7e-2d41-4f6a-b0c9-8e7d1f2a3b45', '44941c55-9736-42f6-acce-ca3c4739d0f3');

INSERT INTO dashboards (id, title, description, filters, project_id, user_id) VALUES
    ('d2e4f6a8-1b3c-4d5e-8f70-9a1b2c3d4e5f', 'Default Dashboard', 'Nightly overview', '',
     '44941c55-9736-42f6-acce-ca3c4739d0f3', NULL);

UPDATE projects SET default_dashboard_id = 'd2e4f6a8-1b3c-4d5e-8f70-9a1b2c3d4e5f'
 WHERE id = '44941c55-9736-42f6-acce-ca3c4739d0f3';

INSERT INTO widget_configs (id, project_id, dashboard_id, title, type, weight, widget, params, navigable) VALUES
    ('7e9f1a2b-3c4d-4e5f-a6b7-c8d9e0f1a2b3', '44941c55-9736-42f6-acce-ca3c4739d0f3',
     'd2e4f6a8-1b3c-4d5e-8f70-9a1b2c3d4e5f', 'Jenkins Heatmap', 'widget', 0, 'jenkins-heatmap',
     '{"job_name": "nightly-smoke", "builds": 5, "group_field": "component", "count_skips": true, "project": "44941c55-9736-42f6-acce-ca3c4739d0f3"}',
     NULL);

INSERT INTO runs (id, project_id, data, env, component, source, start_time, duration, summary, created) VALUES
    ('a16ad60e-bf23-4195-99dc-594858ad3e5e', '44941c55-9736-42f6-acce-ca3c4739d0f3',
     '{"project": "my-project", "env": "ci", "component": "frontend", "tags": ["smoke", "nightly"], "jenkins": {"job_name": "nightly-smoke", "build_number": "42", "build_url": "https://jenkins.example.com/job/nightly-smoke/42/"}}',
     'ci', 'frontend', 'jenkins-nightly', '2025-03-01 10:00:00.123456', 12.5,
     '{"errors": 0, "failures": 1, "skips": 1, "tests": 3, "xpasses": 0, "xfailures": 0, "collected": 3, "passes": 1, "pass_percent": 33, "not_run": 0}',
     '2025-03-01 10:00:13.5');

INSERT INTO results (id, project_id, run_id, test_id, result, data, params, duration, start_time, source, env, component) VALUES
    ('c1b2a3d4-e5f6-4a7b-8c9d-0e1f2a3b4c51', '44941c55-9736-42f6-acce-ca3c4739d0f3',
     'a16ad60e-bf23-4195-99dc-594858ad3e5e', 'test_login.py::test_valid_credentials', 'passed',
     '{"run": "a16ad60e-bf23-4195-99dc-594858ad3e5e", "project": "my-project", "env": "ci", "component": "frontend", "fspath": "tests/test_login.py", "markers": [{"name": "smoke", "args": []}], "tags": ["smoke", "nightly"], "jenkins": {"job_name": "nightly-smoke", "build_number": "42"}, "statuses": {"call": ["passed", false], "setup": ["passed", false], "teardown": ["passed", false]}}',
     '{}', 1.25, '2025-03-01 10:00:01', 'jenkins-nightly', 'ci', 'frontend'),
    ('c1b2a3d4-e5f6-4a7b-8c9d-0e1f2a3b4c52', '44941c55-9736-42f6-acce-ca3c4739d0f3',
     'a16ad60e-bf23-4195-99dc-594858ad3e5e', 'test_login.py::test_bad_password[chrome]', 'failed',
     '{"run": "a16ad60e-bf23-4195-99dc-594858ad3e5e", "project": "my-project", "env": "ci", "component": "frontend", "fspath": "tests/test_login.py", "tags": ["smoke"], "jenkins": {"job_name": "nightly-smoke", "build_number": "42"}, "classification": "product_failure", "assignee": "jdoe", "exception_name": "AssertionError", "short_tb": "assert 401 == 403", "importance": "high"}',
     '{"browser": "chrome"}', 3.5, '2025-03-01 10:00:03', 'jenkins-nightly', 'ci', 'frontend'),
    ('c1b2a3d4-e5f6-4a7b-8c9d-0e1f2a3b4c53', '44941c55-9736-42f6-acce-ca3c4739d0f3',
     'a16ad60e-bf23-4195-99dc-594858ad3e5e', 'test_logout.py::test_logout', 'skipped',
     '{"run": "a16ad60e-bf23-4195-99dc-594858ad3e5e", "project": "my-project", "env": "ci", "component": "frontend", "fspath": "tests/test_logout.py", "tags": ["nightly"], "jenkins": {"job_name": "nightly-smoke", "build_number": "42"}, "skip_reason": "logout flaky on ci"}',
     '{}', 0.01, '2025-03-01 10:00:07', 'jenkins-nightly', 'ci', 'frontend');

INSERT INTO artifacts (id, content, result_id, run_id, filename, data, upload_date) VALUES
    ('f0e1d2c3-b4a5-4968-8776-655443322110',
     convert_to(E'Traceback (most recent call last):\n  File "tests/test_login.py", line 42\nAssertionError: assert 401 == 403\n', 'UTF8'),
     'c1b2a3d4-e5f6-4a7b-8c9d-0e1f2a3b4c52', NULL, 'traceback.log', '{"content_type": "text/plain"}',
     '2025-03-01 10:00:04.5');

INSERT INTO tokens (id, name, token, expires, user_id) VALUES
    ('9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', 'ci-token',
     'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1YzNiOGE3ZS0yZDQxLTRmNmEtYjBjOS04ZTdkMWYyYTNiNDUiLCJpYXQiOjE3NDA4MjMyMDAsImV4cCI6MTc3MjM1OTIwMH0.c2lnbmF0dXJlLW5vdC12YWxpZC1pbi10aGlzLWZpeHR1cmU',
     '2026-03-01 00:00:00', '5c3b8a7e-2d41-4f6a-b0c9-8e7d1f2a3b45');

INSERT INTO imports (id, filename, format, data, status, created) VALUES
    ('3e4d5c6b-7a89-4b0c-8d1e-2f3a4b5c6d7e', 'junit-results.xml', '',
     '{"project_id": "44941c55-9736-42f6-acce-ca3c4739d0f3", "metadata": {"jenkins": {"job_name": "nightly-smoke", "build_number": "42"}}, "source": "jenkins-nightly", "run_id": ["a16ad60e-bf23-4195-99dc-594858ad3e5e"]}',
     'done', '2025-03-01 10:05:00');

INSERT INTO import_files (id, import_id, content) VALUES
    ('6d7e8f90-a1b2-4c3d-9e4f-5a6b7c8d9e0f', '3e4d5c6b-7a89-4b0c-8d1e-2f3a4b5c6d7e',
     convert_to('<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="1" skipped="1" tests="3" time="12.5"/></testsuites>', 'UTF8'));
