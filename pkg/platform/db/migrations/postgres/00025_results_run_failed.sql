-- The failed and errored results of a run by test id, for the flaky refresh
-- of a run (pkg/flaky/store.go, changedTests; docs/triage.md#when-detection-runs,
-- issue #21). After each summary window of a streaming run the refresh
-- needs the tests that failed or errored in it; with only
-- ix_results_run_id_test_id that was a GROUP BY over every result of the
-- run, so each refresh cost more the longer the run (26 ms, then 400-600 ms
-- per call at 100k+ results). This partial index holds only failures and
-- errors, so the refresh reads about as many entries as the run has
-- failures, whoever wrote them (our writers, an upstream server on the same
-- database, rows written before fingerprints existed): the fingerprint table
-- has a row per failure only for results our writers or the hourly backfill
-- fingerprinted. A passed result writes no entry; a failure writes one
-- more (WAL of a 200k-row insert with one failure in ten: +0.6%). The rows
-- read are the failures', not their pages: with one failure in ten and
-- pages not yet all-visible PostgreSQL may still read the run by run_id
-- (docs/triage.md#when-detection-runs has the figures).
--
-- Outside a transaction and CONCURRENTLY, as 00017: writers to results are
-- not blocked while it builds (Migrate drops an INVALID index an
-- interrupted build left, and the rerun builds it again).

-- +goose NO TRANSACTION

-- +goose Up

CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_ibutsu_results_run_failed
    ON results (run_id, test_id) WHERE result IN ('failed', 'error');

-- +goose Down

DROP INDEX CONCURRENTLY IF EXISTS ix_ibutsu_results_run_failed;
