-- Flaky tests (docs/triage.md#flaky-tests): per-project detection settings,
-- the materialised list of tests currently flaky, and the results that made
-- each of them flaky. The list is kept up to date when a run's summary is
-- computed and by the flaky-refresh task; GET /api/flaky reads only these
-- tables. Rows go with their project, their flaky test and their result
-- (ON DELETE CASCADE), so upstream's retention and deletions need to know
-- nothing of them.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_flaky_settings (
    project_id  uuid    NOT NULL,
    min_flips   integer NOT NULL,
    last_runs   integer NOT NULL,
    window_days integer NOT NULL,
    CONSTRAINT ibutsu_flaky_settings_pkey PRIMARY KEY (project_id),
    CONSTRAINT ibutsu_flaky_settings_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS ibutsu_flaky_tests (
    id          uuid                        NOT NULL,
    project_id  uuid                        NOT NULL,
    test_id     text                        NOT NULL,
    component   text                        NOT NULL,
    env         text                        NOT NULL,
    job         text                        NOT NULL,
    score       double precision            NOT NULL,
    flip_rate   double precision            NOT NULL,
    flips       integer                     NOT NULL,
    retries     integer                     NOT NULL,
    runs        integer                     NOT NULL,
    first_flake timestamp without time zone NOT NULL,
    last_flake  timestamp without time zone NOT NULL,
    detected_at timestamp without time zone NOT NULL,
    updated_at  timestamp without time zone NOT NULL,
    CONSTRAINT ibutsu_flaky_tests_pkey PRIMARY KEY (id),
    CONSTRAINT ibutsu_flaky_tests_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_ibutsu_flaky_tests_key ON ibutsu_flaky_tests (project_id, test_id, component, env, job);
CREATE INDEX IF NOT EXISTS ix_ibutsu_flaky_tests_list ON ibutsu_flaky_tests (project_id, score DESC, id);

CREATE TABLE IF NOT EXISTS ibutsu_flaky_evidence (
    flaky_id   uuid                        NOT NULL,
    result_id  uuid                        NOT NULL,
    run_id     uuid,
    kind       text                        NOT NULL,
    outcome    text                        NOT NULL,
    build      text                        NOT NULL,
    start_time timestamp without time zone NOT NULL,
    CONSTRAINT ibutsu_flaky_evidence_pkey PRIMARY KEY (flaky_id, result_id),
    CONSTRAINT ibutsu_flaky_evidence_flaky_id_fkey FOREIGN KEY (flaky_id) REFERENCES ibutsu_flaky_tests (id) ON DELETE CASCADE,
    CONSTRAINT ibutsu_flaky_evidence_result_id_fkey FOREIGN KEY (result_id) REFERENCES results (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_flaky_evidence_run ON ibutsu_flaky_evidence (run_id);
CREATE INDEX IF NOT EXISTS ix_ibutsu_flaky_evidence_result ON ibutsu_flaky_evidence (result_id);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_flaky_evidence;
DROP TABLE IF EXISTS ibutsu_flaky_tests;
DROP TABLE IF EXISTS ibutsu_flaky_settings;
