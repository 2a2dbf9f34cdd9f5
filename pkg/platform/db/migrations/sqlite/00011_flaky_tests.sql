-- Flaky tests (see ../postgres/00011).

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_flaky_settings (
    project_id  TEXT    NOT NULL,
    min_flips   INTEGER NOT NULL,
    last_runs   INTEGER NOT NULL,
    window_days INTEGER NOT NULL,
    CONSTRAINT ibutsu_flaky_settings_pkey PRIMARY KEY (project_id),
    CONSTRAINT ibutsu_flaky_settings_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS ibutsu_flaky_tests (
    id          TEXT                        NOT NULL,
    project_id  TEXT                        NOT NULL,
    test_id     TEXT                        NOT NULL,
    component   TEXT                        NOT NULL,
    env         TEXT                        NOT NULL,
    job         TEXT                        NOT NULL,
    score       REAL            NOT NULL,
    flip_rate   REAL            NOT NULL,
    flips       INTEGER                     NOT NULL,
    retries     INTEGER                     NOT NULL,
    runs        INTEGER                     NOT NULL,
    first_flake DATETIME NOT NULL,
    last_flake  DATETIME NOT NULL,
    detected_at DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    CONSTRAINT ibutsu_flaky_tests_pkey PRIMARY KEY (id),
    CONSTRAINT ibutsu_flaky_tests_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_ibutsu_flaky_tests_key ON ibutsu_flaky_tests (project_id, test_id, component, env, job);
CREATE INDEX IF NOT EXISTS ix_ibutsu_flaky_tests_list ON ibutsu_flaky_tests (project_id, score DESC, id);

CREATE TABLE IF NOT EXISTS ibutsu_flaky_evidence (
    flaky_id   TEXT                        NOT NULL,
    result_id  TEXT                        NOT NULL,
    run_id     TEXT,
    kind       TEXT                        NOT NULL,
    outcome    TEXT                        NOT NULL,
    build      TEXT                        NOT NULL,
    start_time DATETIME NOT NULL,
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
