-- Live runs (docs/notifications.md#events-live): whether a run is still
-- receiving results or finished, and when it last had activity, kept in a
-- table of ours so upstream's runs table is never changed. A run without a
-- row here is shown as finished (it had no activity since this migration).
-- The row goes with its run (ON DELETE CASCADE).
-- ibutsu_event_seq numbers the events that fan out between backend
-- replicas through LISTEN/NOTIFY (pkg/platform/events), so every replica
-- gives one event the same id and a browser can resume on any of them.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_run_state (
    run_id        uuid                        NOT NULL,
    state         text                        NOT NULL,
    last_activity timestamp without time zone NOT NULL,
    finished_at   timestamp without time zone,
    finished_by   text,
    CONSTRAINT ibutsu_run_state_pkey PRIMARY KEY (run_id),
    CONSTRAINT ibutsu_run_state_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_run_state_running ON ibutsu_run_state (last_activity) WHERE state = 'running';
CREATE SEQUENCE IF NOT EXISTS ibutsu_event_seq;

-- +goose Down

DROP SEQUENCE IF EXISTS ibutsu_event_seq;
DROP TABLE IF EXISTS ibutsu_run_state;
