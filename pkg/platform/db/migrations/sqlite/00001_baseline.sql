-- Baseline: upstream Ibutsu's schema (3.1.1, alembic head d18de2b3253f) in SQLite
-- form. Same tables, columns, column order, nullability, keys, foreign keys
-- (with the same ON DELETE behaviour) and index names as the PostgreSQL
-- baseline. Type mapping: uuid -> TEXT (lowercase hyphenated UUID),
-- jsonb -> TEXT (JSON document), bytea -> BLOB, timestamp -> DATETIME (UTC),
-- double precision -> REAL, boolean -> BOOLEAN (0/1). Upstream's
-- PostgreSQL-only indexes (JSON expressions, GIN) are not here; SQLite
-- equivalents that help our queries are in 00002. Foreign keys are enforced
-- only with PRAGMA foreign_keys = ON (set per connection by the driver DSN).
-- See ../README.md.

-- +goose Up

CREATE TABLE groups (
    id   TEXT NOT NULL,
    name TEXT,
    data TEXT,
    CONSTRAINT groups_pkey PRIMARY KEY (id),
    CONSTRAINT groups_id_key UNIQUE (id)
);
CREATE INDEX ix_groups_name ON groups (name);

CREATE TABLE users (
    id              TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    _password       TEXT,
    name            TEXT,
    activation_code TEXT,
    is_superadmin   BOOLEAN NOT NULL,
    is_active       BOOLEAN NOT NULL,
    group_id        TEXT,
    CONSTRAINT users_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id),
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_id_key UNIQUE (id)
);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE INDEX ix_users_group_id ON users (group_id);

-- SQLite resolves foreign keys when rows are written, so dashboards may name
-- projects before that table exists (PostgreSQL adds these two FKs later).
CREATE TABLE dashboards (
    id          TEXT NOT NULL,
    title       TEXT,
    description TEXT,
    filters     TEXT,
    project_id  TEXT,
    user_id     TEXT,
    CONSTRAINT dashboards_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_dashboards_project_id FOREIGN KEY (project_id) REFERENCES projects (id),
    CONSTRAINT dashboards_pkey PRIMARY KEY (id),
    CONSTRAINT dashboards_id_key UNIQUE (id)
);
CREATE INDEX ix_dashboards_project_id ON dashboards (project_id);
CREATE INDEX ix_dashboards_title ON dashboards (title);
CREATE INDEX ix_dashboards_user_id ON dashboards (user_id);

CREATE TABLE projects (
    id                   TEXT NOT NULL,
    name                 TEXT,
    title                TEXT,
    owner_id             TEXT,
    group_id             TEXT,
    default_dashboard_id TEXT,
    CONSTRAINT projects_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id),
    CONSTRAINT projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id),
    CONSTRAINT fk_project_default_dashboard FOREIGN KEY (default_dashboard_id) REFERENCES dashboards (id),
    CONSTRAINT projects_pkey PRIMARY KEY (id),
    CONSTRAINT projects_id_key UNIQUE (id)
);
CREATE INDEX ix_projects_group_id ON projects (group_id);
CREATE INDEX ix_projects_name ON projects (name);
CREATE INDEX ix_projects_owner_id ON projects (owner_id);
CREATE INDEX ix_projects_title ON projects (title);

CREATE TABLE widget_configs (
    id           TEXT NOT NULL,
    project_id   TEXT,
    dashboard_id TEXT,
    title        TEXT,
    type         TEXT,
    weight       INTEGER,
    widget       TEXT,
    params       TEXT,
    navigable    BOOLEAN,
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
    id       TEXT     NOT NULL,
    filename TEXT,
    format   TEXT,
    data     TEXT,
    status   TEXT,
    created  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT imports_pkey PRIMARY KEY (id),
    CONSTRAINT imports_id_key UNIQUE (id)
);
CREATE INDEX ix_imports_created ON imports (created);
CREATE INDEX ix_imports_filename ON imports (filename);
CREATE INDEX ix_imports_format ON imports (format);
CREATE INDEX ix_imports_status ON imports (status);

CREATE TABLE import_files (
    id        TEXT NOT NULL,
    import_id TEXT NOT NULL,
    content   BLOB,
    CONSTRAINT import_files_import_id_fkey FOREIGN KEY (import_id) REFERENCES imports (id) ON DELETE CASCADE,
    CONSTRAINT import_files_pkey PRIMARY KEY (id),
    CONSTRAINT import_files_id_key UNIQUE (id)
);
CREATE INDEX ix_import_files_import_id ON import_files (import_id);

CREATE TABLE runs (
    id         TEXT     NOT NULL,
    project_id TEXT,
    data       TEXT,
    env        TEXT,
    component  TEXT,
    source     TEXT,
    start_time DATETIME NOT NULL,
    duration   REAL,
    summary    TEXT,
    created    DATETIME NOT NULL,
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

CREATE TABLE results (
    id         TEXT     NOT NULL,
    project_id TEXT,
    run_id     TEXT,
    test_id    TEXT,
    result     TEXT,
    data       TEXT,
    params     TEXT,
    duration   REAL,
    start_time DATETIME NOT NULL,
    source     TEXT,
    env        TEXT,
    component  TEXT,
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

CREATE TABLE artifacts (
    id          TEXT     NOT NULL,
    content     BLOB,
    result_id   TEXT,
    run_id      TEXT,
    filename    TEXT,
    data        TEXT,
    upload_date DATETIME NOT NULL,
    CONSTRAINT artifacts_result_id_fkey FOREIGN KEY (result_id) REFERENCES results (id),
    CONSTRAINT artifacts_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id),
    CONSTRAINT artifacts_pkey PRIMARY KEY (id),
    CONSTRAINT artifacts_id_key UNIQUE (id)
);
CREATE INDEX ix_artifacts_filename ON artifacts (filename);
CREATE INDEX ix_artifacts_result_id ON artifacts (result_id);
CREATE INDEX ix_artifacts_run_id ON artifacts (run_id);
CREATE INDEX ix_artifacts_upload_date ON artifacts (upload_date);

CREATE TABLE tokens (
    id      TEXT NOT NULL,
    name    TEXT NOT NULL,
    token   TEXT NOT NULL,
    expires DATETIME,
    user_id TEXT,
    CONSTRAINT tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT tokens_pkey PRIMARY KEY (id),
    CONSTRAINT tokens_id_key UNIQUE (id)
);
CREATE INDEX ix_tokens_user_id ON tokens (user_id);

CREATE TABLE users_projects (
    user_id    TEXT NOT NULL,
    project_id TEXT NOT NULL,
    CONSTRAINT users_projects_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
    CONSTRAINT users_projects_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT users_projects_pkey PRIMARY KEY (user_id, project_id)
);

-- +goose Down

-- DROP TABLE deletes the rows first, which checks foreign keys when they are
-- enforced: drop children first and break the projects -> dashboards cycle.
DROP TABLE users_projects;
DROP TABLE tokens;
DROP TABLE artifacts;
DROP TABLE results;
DROP TABLE runs;
DROP TABLE import_files;
DROP TABLE imports;
DROP TABLE widget_configs;
UPDATE projects SET default_dashboard_id = NULL;
DROP TABLE dashboards;
DROP TABLE projects;
DROP TABLE users;
DROP TABLE groups;
