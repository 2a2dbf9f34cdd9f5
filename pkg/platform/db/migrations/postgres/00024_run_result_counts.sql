-- A run's result counts by outcome and its results' summed duration, kept
-- as deltas by statement triggers on results, so the run summary (the
-- update-run task, every 5-second window of an active run) reads the few
-- rows written since its last window instead of aggregating every result
-- of the run, which cost more the larger the run grew (issue #21,
-- pkg/run/store_summary.go).
--
-- As with ibutsu_result_counts (00005), rows are deltas appended by
-- statement triggers with transition tables, grouped by run: one row per
-- run a write statement (a multi-row INSERT, a COPY, an UPDATE, a DELETE)
-- touched, negative for removed results; an UPDATE adds the difference,
-- nothing when no counted column changed (a classification, a metadata
-- edit), and a result moved to another run adds -1 to the old run and +1
-- to the new one. Writers never wait on each other for a shared row. The
-- summary folds a run's rows into one under the run's row lock
-- (DELETE ... RETURNING, then one INSERT of the sums), so a run keeps about
-- one row plus one per write statement since its last summary.
--
-- duration sums each finite results.duration as numeric (its float8 value
-- rounded to 15 significant digits, PostgreSQL's float8 to numeric cast):
-- exact and independent of the order of the deltas and of the folds, where
-- float8 deltas would make the total depend on how often and where it was
-- folded and a large value inserted and deleted again could swallow the
-- small ones. It can differ from sum(duration) over the run, itself a
-- float8 sum in scan order, in the last bits. nonfinite counts the results
-- whose duration is NaN or infinite, which no numeric can hold and no delta
-- can take back; while a run has any, the summary sums its durations
-- directly. Results without a run are not counted.
--
-- A row goes with its run (ON DELETE CASCADE): a run's results are deleted
-- before it (results.run_id has no cascade), their negative deltas with
-- them, and the run's delete removes every row left. The backfill runs in
-- the transaction that creates the triggers, which locks results against
-- writes until it commits, so no result is counted twice or missed.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_run_result_counts (
    run_id    uuid    NOT NULL,
    tests     bigint  NOT NULL,
    failures  bigint  NOT NULL,
    errors    bigint  NOT NULL,
    skips     bigint  NOT NULL,
    xfailures bigint  NOT NULL,
    xpasses   bigint  NOT NULL,
    duration  numeric NOT NULL,
    nonfinite bigint  NOT NULL,
    CONSTRAINT ibutsu_run_result_counts_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_run_result_counts_run ON ibutsu_run_result_counts (run_id);

-- A duration as summed: NULL (not summed) when it is NULL, NaN or infinite.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_result_counts_dur(d float8) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN d IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) THEN NULL ELSE d::numeric END
$$;
-- +goose StatementEnd

-- Counted per statement: s is 1 for an added result and -1 for a removed
-- one. The INSERT and DELETE triggers name their one transition table
-- alike, so one function serves both.
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

-- An UPDATE adds, per run, the new rows' counts less the old rows'; a run
-- whose counts did not change (no counted column changed) gets no row.
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

-- Dropped first: a migration interrupted after this point is run again
-- whole, and the backfill below starts from an empty table (as 00019).
DROP TRIGGER IF EXISTS ibutsu_run_result_counts_insert ON results;
DROP TRIGGER IF EXISTS ibutsu_run_result_counts_delete ON results;
DROP TRIGGER IF EXISTS ibutsu_run_result_counts_update ON results;
DROP TRIGGER IF EXISTS ibutsu_run_result_counts_truncate ON results;
CREATE TRIGGER ibutsu_run_result_counts_insert AFTER INSERT ON results
    REFERENCING NEW TABLE AS ibutsu_changed_results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_run_result_counts_add();
CREATE TRIGGER ibutsu_run_result_counts_delete AFTER DELETE ON results
    REFERENCING OLD TABLE AS ibutsu_changed_results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_run_result_counts_add();
CREATE TRIGGER ibutsu_run_result_counts_update AFTER UPDATE ON results
    REFERENCING OLD TABLE AS ibutsu_old_results NEW TABLE AS ibutsu_new_results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_run_result_counts_update();
CREATE TRIGGER ibutsu_run_result_counts_truncate AFTER TRUNCATE ON results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_run_result_counts_truncate();

TRUNCATE ibutsu_run_result_counts;
INSERT INTO ibutsu_run_result_counts
SELECT run_id, count(*), count(*) FILTER (WHERE result = 'failed'), count(*) FILTER (WHERE result = 'error'),
    count(*) FILTER (WHERE result = 'skipped'), count(*) FILTER (WHERE result = 'xfailed'),
    count(*) FILTER (WHERE result = 'xpassed'), coalesce(sum(ibutsu_run_result_counts_dur(duration)), 0),
    count(duration) FILTER (WHERE ibutsu_run_result_counts_dur(duration) IS NULL)
FROM results WHERE run_id IS NOT NULL GROUP BY run_id;

-- +goose Down

DROP TRIGGER IF EXISTS ibutsu_run_result_counts_insert ON results;
DROP TRIGGER IF EXISTS ibutsu_run_result_counts_delete ON results;
DROP TRIGGER IF EXISTS ibutsu_run_result_counts_update ON results;
DROP TRIGGER IF EXISTS ibutsu_run_result_counts_truncate ON results;
DROP FUNCTION IF EXISTS ibutsu_run_result_counts_add();
DROP FUNCTION IF EXISTS ibutsu_run_result_counts_update();
DROP FUNCTION IF EXISTS ibutsu_run_result_counts_truncate();
DROP FUNCTION IF EXISTS ibutsu_run_result_counts_dur(float8);
DROP TABLE IF EXISTS ibutsu_run_result_counts;
