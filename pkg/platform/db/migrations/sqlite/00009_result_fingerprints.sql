-- Failure fingerprints (see ../postgres/00009).

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_result_fingerprints (
    result_id   TEXT     NOT NULL,
    project_id  TEXT,
    run_id      TEXT,
    fingerprint TEXT     NOT NULL,
    exception   TEXT     NOT NULL,
    normalised  TEXT     NOT NULL,
    start_time  DATETIME NOT NULL,
    CONSTRAINT ibutsu_result_fingerprints_pkey PRIMARY KEY (result_id),
    CONSTRAINT ibutsu_result_fingerprints_result_id_fkey FOREIGN KEY (result_id) REFERENCES results (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_result_fingerprints_run ON ibutsu_result_fingerprints (run_id, fingerprint);
CREATE INDEX IF NOT EXISTS ix_ibutsu_result_fingerprints_seen ON ibutsu_result_fingerprints (project_id, fingerprint, start_time, run_id);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_result_fingerprints;
