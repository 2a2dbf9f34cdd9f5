-- The earliest start time of a fingerprint in a run as one index probe
-- (see ../postgres/00018); it replaces 00009's (run_id, fingerprint), a
-- prefix of it. SQLite answers MIN(start_time) with equality on run_id
-- and fingerprint from this index without reading the other rows.

-- +goose Up

CREATE INDEX IF NOT EXISTS ix_ibutsu_result_fingerprints_run_start
    ON ibutsu_result_fingerprints (run_id, fingerprint, start_time);

DROP INDEX IF EXISTS ix_ibutsu_result_fingerprints_run;

-- +goose Down

CREATE INDEX IF NOT EXISTS ix_ibutsu_result_fingerprints_run
    ON ibutsu_result_fingerprints (run_id, fingerprint);

DROP INDEX IF EXISTS ix_ibutsu_result_fingerprints_run_start;
