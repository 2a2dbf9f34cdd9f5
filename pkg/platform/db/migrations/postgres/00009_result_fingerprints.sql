-- Failure fingerprints (docs/triage.md): one row per failed or errored
-- result, written with the result (pkg/fingerprint) and backfilled for older
-- rows by the fingerprint-backfill task. The run, project and start time are
-- copied from the result so a run's clusters and a fingerprint's first and
-- last appearance in a project are index look-ups that never touch results.
-- A result's row goes with it (ON DELETE CASCADE): upstream's retention and
-- run deletion need to know nothing of this table.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_result_fingerprints (
    result_id   uuid                        NOT NULL,
    project_id  uuid,
    run_id      uuid,
    fingerprint text                        NOT NULL,
    exception   text                        NOT NULL,
    normalised  text                        NOT NULL,
    start_time  timestamp without time zone NOT NULL,
    CONSTRAINT ibutsu_result_fingerprints_pkey PRIMARY KEY (result_id),
    CONSTRAINT ibutsu_result_fingerprints_result_id_fkey FOREIGN KEY (result_id) REFERENCES results (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_result_fingerprints_run ON ibutsu_result_fingerprints (run_id, fingerprint);
CREATE INDEX IF NOT EXISTS ix_ibutsu_result_fingerprints_seen ON ibutsu_result_fingerprints (project_id, fingerprint, start_time, run_id);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_result_fingerprints;
