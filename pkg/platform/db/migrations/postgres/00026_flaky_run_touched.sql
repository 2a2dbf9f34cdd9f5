-- Which tests of a run were written since the run's last flaky refresh
-- (pkg/flaky/store.go, touchedTests; docs/triage.md#when-detection-runs,
-- issue #21). After each summary window of a streaming run the refresh
-- needed the run's failed tests and compared their figures with those it
-- examined them with (ibutsu_flaky_run_tests, 00023): a read of every
-- failure of the run, 337-377 ms per window at 150k results with one in
-- ten failing. Here the triggers of 00024 also append, per statement, run
-- and test id, the change of the test's results and failures (failed or
-- errored) in the run; the refresh takes the run's rows (DELETE ...
-- RETURNING, in the transaction that writes its findings and figures) and
-- reads only the tests written since its last window.
--
-- Rows are deltas, as 00024's, without a key: plain appends, so writers
-- never wait on each other. An INSERT or DELETE adds a row per result (1
-- or -1; grouping them by test first cost more than it saved, a batch's
-- results being mostly of distinct tests); an UPDATE adds the difference
-- per run and test (a result that changes outcome, moves to another run or
-- changes test id), nothing when neither figure changed. Results without a run or a test id
-- are not recorded. The same trigger functions as 00024's write both
-- tables (CREATE OR REPLACE below): one plpgsql call per statement, not a
-- second trigger's. A row goes with its run (a trigger on runs, below); at is when
-- it was written, so the periodic flaky refresh can drop the rows of runs
-- never refreshed again (a retention prune of a kept run's results appends
-- negative rows and triggers no refresh).
--
-- A run's figures in ibutsu_flaky_run_tests plus its pending rows here are
-- its tests' figures now; that holds only for figures written after this
-- migration, so the old ones are emptied: a run without figures falls back
-- to reading its failures once (changedTestsSQL), which also examines what
-- a run in progress got before the migration. The table lock waits for the
-- writers in flight (their statements fired the old functions), so every
-- result committed after this migration fired the new ones.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_flaky_run_touched (
    run_id   uuid                        NOT NULL,
    test_id  text                        NOT NULL,
    results  integer                     NOT NULL,
    failures integer                     NOT NULL,
    at       timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_flaky_run_touched_run ON ibutsu_flaky_run_touched (run_id);

LOCK TABLE results IN SHARE ROW EXCLUSIVE MODE;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_result_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    INSERT INTO ibutsu_run_result_counts
    SELECT run_id, s * count(*), s * count(*) FILTER (WHERE result = 'failed'),
        s * count(*) FILTER (WHERE result = 'error'), s * count(*) FILTER (WHERE result = 'skipped'),
        s * count(*) FILTER (WHERE result = 'xfailed'), s * count(*) FILTER (WHERE result = 'xpassed'),
        s * coalesce(sum(ibutsu_run_result_counts_dur(duration)), 0),
        s * count(duration) FILTER (WHERE ibutsu_run_result_counts_dur(duration) IS NULL)
    FROM ibutsu_changed_results WHERE run_id IS NOT NULL GROUP BY run_id;
    INSERT INTO ibutsu_flaky_run_touched (run_id, test_id, results, failures)
    SELECT run_id, test_id, s, CASE WHEN result IN ('failed', 'error') THEN s ELSE 0 END
    FROM ibutsu_changed_results WHERE run_id IS NOT NULL AND test_id IS NOT NULL;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_result_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ibutsu_run_result_counts
    SELECT * FROM (
        SELECT run_id, sum(s) AS tests, sum(CASE WHEN result = 'failed' THEN s ELSE 0 END) AS failures,
            sum(CASE WHEN result = 'error' THEN s ELSE 0 END) AS errors,
            sum(CASE WHEN result = 'skipped' THEN s ELSE 0 END) AS skips,
            sum(CASE WHEN result = 'xfailed' THEN s ELSE 0 END) AS xfailures,
            sum(CASE WHEN result = 'xpassed' THEN s ELSE 0 END) AS xpasses,
            coalesce(sum(s * ibutsu_run_result_counts_dur(duration)), 0) AS duration,
            sum(CASE WHEN duration IS NOT NULL AND ibutsu_run_result_counts_dur(duration) IS NULL THEN s ELSE 0 END) AS nonfinite
        FROM (
            SELECT run_id, result, duration, -1 AS s FROM ibutsu_old_results
            UNION ALL
            SELECT run_id, result, duration, 1 FROM ibutsu_new_results
        ) d WHERE run_id IS NOT NULL GROUP BY run_id
    ) g
    WHERE tests <> 0 OR failures <> 0 OR errors <> 0 OR skips <> 0 OR xfailures <> 0 OR xpasses <> 0
        OR duration <> 0 OR nonfinite <> 0;
    INSERT INTO ibutsu_flaky_run_touched (run_id, test_id, results, failures)
    SELECT * FROM (
        SELECT run_id, test_id, sum(s) AS results,
            sum(CASE WHEN result IN ('failed', 'error') THEN s ELSE 0 END) AS failures
        FROM (
            SELECT run_id, test_id, result, -1 AS s FROM ibutsu_old_results
            UNION ALL
            SELECT run_id, test_id, result, 1 FROM ibutsu_new_results
        ) d WHERE run_id IS NOT NULL AND test_id IS NOT NULL GROUP BY run_id, test_id
    ) g
    WHERE results <> 0 OR failures <> 0;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- A truncated results table leaves no figure of any run true.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_result_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE ibutsu_run_result_counts, ibutsu_flaky_run_touched, ibutsu_flaky_run_tests;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- A run's rows go with it. Not by a foreign key: a row is appended for
-- every result written, and its key check (a KEY SHARE lock on the run's
-- row for every row, on top of the one the result's own key takes) made
-- writing results measurably dearer: 10k one-row inserts took 10-14% longer
-- than without these rows with the key, 1-11% without it (three rounds,
-- two shared cores, noisy). A row always
-- names a run that exists when it is written (the result's own foreign
-- key), and a run's results are deleted before it, so deleting a run's rows
-- with the run leaves none behind.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_flaky_run_touched_runs_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ibutsu_flaky_run_touched WHERE run_id IN (SELECT id FROM ibutsu_old_runs);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

DROP TRIGGER IF EXISTS ibutsu_flaky_run_touched_runs_delete ON runs;
CREATE TRIGGER ibutsu_flaky_run_touched_runs_delete AFTER DELETE ON runs
    REFERENCING OLD TABLE AS ibutsu_old_runs
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_flaky_run_touched_runs_delete();

TRUNCATE ibutsu_flaky_run_tests;

-- +goose Down

DROP TRIGGER IF EXISTS ibutsu_flaky_run_touched_runs_delete ON runs;
DROP FUNCTION IF EXISTS ibutsu_flaky_run_touched_runs_delete();

-- 00024's functions as they were.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_result_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    INSERT INTO ibutsu_run_result_counts
    SELECT run_id, s * count(*), s * count(*) FILTER (WHERE result = 'failed'),
        s * count(*) FILTER (WHERE result = 'error'), s * count(*) FILTER (WHERE result = 'skipped'),
        s * count(*) FILTER (WHERE result = 'xfailed'), s * count(*) FILTER (WHERE result = 'xpassed'),
        s * coalesce(sum(ibutsu_run_result_counts_dur(duration)), 0),
        s * count(duration) FILTER (WHERE ibutsu_run_result_counts_dur(duration) IS NULL)
    FROM ibutsu_changed_results WHERE run_id IS NOT NULL GROUP BY run_id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_result_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ibutsu_run_result_counts
    SELECT * FROM (
        SELECT run_id, sum(s) AS tests, sum(CASE WHEN result = 'failed' THEN s ELSE 0 END) AS failures,
            sum(CASE WHEN result = 'error' THEN s ELSE 0 END) AS errors,
            sum(CASE WHEN result = 'skipped' THEN s ELSE 0 END) AS skips,
            sum(CASE WHEN result = 'xfailed' THEN s ELSE 0 END) AS xfailures,
            sum(CASE WHEN result = 'xpassed' THEN s ELSE 0 END) AS xpasses,
            coalesce(sum(s * ibutsu_run_result_counts_dur(duration)), 0) AS duration,
            sum(CASE WHEN duration IS NOT NULL AND ibutsu_run_result_counts_dur(duration) IS NULL THEN s ELSE 0 END) AS nonfinite
        FROM (
            SELECT run_id, result, duration, -1 AS s FROM ibutsu_old_results
            UNION ALL
            SELECT run_id, result, duration, 1 FROM ibutsu_new_results
        ) d WHERE run_id IS NOT NULL GROUP BY run_id
    ) g
    WHERE tests <> 0 OR failures <> 0 OR errors <> 0 OR skips <> 0 OR xfailures <> 0 OR xpasses <> 0
        OR duration <> 0 OR nonfinite <> 0;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_result_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE ibutsu_run_result_counts;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

DROP TABLE IF EXISTS ibutsu_flaky_run_touched;
-- The figures were kept with the rows above; without them they go stale.
TRUNCATE ibutsu_flaky_run_tests;
