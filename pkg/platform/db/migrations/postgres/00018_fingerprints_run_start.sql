-- A failure's "known" marker (pkg/fingerprint/store_annotate.go) and a
-- run's clusters (pkg/cluster/store.go) take the earliest start time of a
-- fingerprint in a run: MIN(start_time) ... WHERE run_id = ? AND
-- fingerprint = ?. With 00009's (run_id, fingerprint) that read every row
-- of the fingerprint in the run from the heap, so the marker of a failure
-- cost more the more failures its run already had. With start_time in the
-- index the MIN is one index-only probe (PostgreSQL turns it into an
-- ordered scan with LIMIT 1).
--
-- This index replaces 00009's ix_ibutsu_result_fingerprints_run (a prefix
-- of it, so every read that used that one uses this one): a fingerprinted
-- failure still writes the same number of index entries, 8 bytes wider.
--
-- Outside a transaction and CONCURRENTLY, as 00017: the table has a row per
-- failure and writers to it (every failed result) are not blocked while it
-- builds. The new index is built before the old one is dropped, so the
-- reads always have one of them; Migrate drops an INVALID index an
-- interrupted build left, and the rerun builds it again.

-- +goose NO TRANSACTION

-- +goose Up

CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_ibutsu_result_fingerprints_run_start
    ON ibutsu_result_fingerprints (run_id, fingerprint, start_time);

DROP INDEX CONCURRENTLY IF EXISTS ix_ibutsu_result_fingerprints_run;

-- +goose Down

CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_ibutsu_result_fingerprints_run
    ON ibutsu_result_fingerprints (run_id, fingerprint);

DROP INDEX CONCURRENTLY IF EXISTS ix_ibutsu_result_fingerprints_run_start;
