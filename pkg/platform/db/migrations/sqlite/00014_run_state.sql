-- Live runs: run state (see ../postgres/00014). The embedded mode numbers
-- its events in process, so it has no event sequence.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_run_state (
    run_id        TEXT     NOT NULL,
    state         TEXT     NOT NULL,
    last_activity DATETIME NOT NULL,
    finished_at   DATETIME,
    finished_by   TEXT,
    CONSTRAINT ibutsu_run_state_pkey PRIMARY KEY (run_id),
    CONSTRAINT ibutsu_run_state_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_run_state_running ON ibutsu_run_state (last_activity) WHERE state = 'running';

-- +goose Down

DROP TABLE IF EXISTS ibutsu_run_state;
