-- The failed and errored results of a run by test id, for the flaky refresh
-- of a run (see ../postgres/00025): the same partial index (SQLite uses it
-- when the query repeats the condition, as changedTests does).

-- +goose Up

CREATE INDEX IF NOT EXISTS ix_ibutsu_results_run_failed
    ON results (run_id, test_id) WHERE result IN ('failed', 'error');

-- +goose Down

DROP INDEX IF EXISTS ix_ibutsu_results_run_failed;
