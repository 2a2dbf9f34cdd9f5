-- Run summary sums per project, day, component, env, source and Jenkins
-- job, kept exact by triggers on runs, so result-summary (all time) and
-- run-aggregator (the last weeks) read one row per group and day instead
-- of every run's JSON summary (pkg/widget/store_run_sums.go).
--
-- Each sum column adds what the widgets read from a run's summary: the
-- key's value when it is a JSON number, else 0, as numeric (exact, so the
-- sums equal summing the runs in any order). `data` is the run's data
-- reduced to `jenkins.job_name` (NULL when the run has none), so a filter
-- on metadata.jenkins.job_name means the same on both tables.
--
-- As with ibutsu_result_counts (00005), rows are deltas appended by
-- statement triggers with transition tables: an UPDATE of a run's summary
-- appends the difference, a DELETE the negated sums, so concurrent writers
-- never wait on a shared row and never overwrite each other's additions,
-- and a reader's snapshot matches runs exactly. The compact-result-counts
-- job folds the deltas into one row per group. The backfill runs in the
-- transaction that creates the triggers, which locks runs against writes
-- until it commits, so no run is summed twice or missed.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_run_sums (
    project_id uuid,
    day        date    NOT NULL,
    component  text,
    env        text,
    source     text,
    data       jsonb,
    failures   numeric NOT NULL,
    errors     numeric NOT NULL,
    skips      numeric NOT NULL,
    tests      numeric NOT NULL,
    xfailures  numeric NOT NULL,
    xpasses    numeric NOT NULL,
    xpassed    numeric NOT NULL,
    xfailed    numeric NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_run_sums_project_day ON ibutsu_run_sums (project_id, day);

-- A summary key as the widgets sum it: a JSON number, else 0.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_sums_num(s jsonb, k text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(CASE WHEN jsonb_typeof(s -> k) = 'number' THEN CAST(s ->> k AS numeric) END, 0)
$$;
-- +goose StatementEnd

-- A run's data reduced to the one path kept: the same value at
-- data -> 'jenkins' -> 'job_name' (SQL NULL when there is none there).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_sums_job(d jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN d -> 'jenkins' -> 'job_name' IS NOT NULL
        THEN jsonb_build_object('jenkins', jsonb_build_object('job_name', d -> 'jenkins' -> 'job_name')) END
$$;
-- +goose StatementEnd

-- sign is 1 for added runs, -1 for removed ones.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_sums_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ibutsu_run_sums
    SELECT project_id, start_time::date, component, env, source, ibutsu_run_sums_job(data),
        sum(ibutsu_run_sums_num(summary, 'failures')), sum(ibutsu_run_sums_num(summary, 'errors')),
        sum(ibutsu_run_sums_num(summary, 'skips')), sum(ibutsu_run_sums_num(summary, 'tests')),
        sum(ibutsu_run_sums_num(summary, 'xfailures')), sum(ibutsu_run_sums_num(summary, 'xpasses')),
        sum(ibutsu_run_sums_num(summary, 'xpassed')), sum(ibutsu_run_sums_num(summary, 'xfailed'))
    FROM ibutsu_new_runs GROUP BY 1, 2, 3, 4, 5, 6;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_sums_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ibutsu_run_sums
    SELECT project_id, start_time::date, component, env, source, ibutsu_run_sums_job(data),
        -sum(ibutsu_run_sums_num(summary, 'failures')), -sum(ibutsu_run_sums_num(summary, 'errors')),
        -sum(ibutsu_run_sums_num(summary, 'skips')), -sum(ibutsu_run_sums_num(summary, 'tests')),
        -sum(ibutsu_run_sums_num(summary, 'xfailures')), -sum(ibutsu_run_sums_num(summary, 'xpasses')),
        -sum(ibutsu_run_sums_num(summary, 'xpassed')), -sum(ibutsu_run_sums_num(summary, 'xfailed'))
    FROM ibutsu_old_runs GROUP BY 1, 2, 3, 4, 5, 6;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- An UPDATE that changes no summed key and no grouping column (a run's
-- duration, its other metadata) nets to zero per group and adds nothing.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_sums_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ibutsu_run_sums
    SELECT project_id, day, component, env, source, data,
        sum(failures), sum(errors), sum(skips), sum(tests), sum(xfailures), sum(xpasses), sum(xpassed), sum(xfailed)
    FROM (
        SELECT project_id, start_time::date AS day, component, env, source, ibutsu_run_sums_job(data) AS data,
            -ibutsu_run_sums_num(summary, 'failures') AS failures, -ibutsu_run_sums_num(summary, 'errors') AS errors,
            -ibutsu_run_sums_num(summary, 'skips') AS skips, -ibutsu_run_sums_num(summary, 'tests') AS tests,
            -ibutsu_run_sums_num(summary, 'xfailures') AS xfailures, -ibutsu_run_sums_num(summary, 'xpasses') AS xpasses,
            -ibutsu_run_sums_num(summary, 'xpassed') AS xpassed, -ibutsu_run_sums_num(summary, 'xfailed') AS xfailed
        FROM ibutsu_old_runs
        UNION ALL
        SELECT project_id, start_time::date, component, env, source, ibutsu_run_sums_job(data),
            ibutsu_run_sums_num(summary, 'failures'), ibutsu_run_sums_num(summary, 'errors'),
            ibutsu_run_sums_num(summary, 'skips'), ibutsu_run_sums_num(summary, 'tests'),
            ibutsu_run_sums_num(summary, 'xfailures'), ibutsu_run_sums_num(summary, 'xpasses'),
            ibutsu_run_sums_num(summary, 'xpassed'), ibutsu_run_sums_num(summary, 'xfailed')
        FROM ibutsu_new_runs
    ) d GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(failures) <> 0 OR sum(errors) <> 0 OR sum(skips) <> 0 OR sum(tests) <> 0
        OR sum(xfailures) <> 0 OR sum(xpasses) <> 0 OR sum(xpassed) <> 0 OR sum(xfailed) <> 0;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_run_sums_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE ibutsu_run_sums;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Dropped first: a migration interrupted after this point is run again
-- whole (TestMigrateRebuildsInvalidIndex), and the backfill below starts
-- from an empty table, so a second run adds nothing twice.
DROP TRIGGER IF EXISTS ibutsu_run_sums_insert ON runs;
DROP TRIGGER IF EXISTS ibutsu_run_sums_delete ON runs;
DROP TRIGGER IF EXISTS ibutsu_run_sums_update ON runs;
DROP TRIGGER IF EXISTS ibutsu_run_sums_truncate ON runs;
CREATE TRIGGER ibutsu_run_sums_insert AFTER INSERT ON runs
    REFERENCING NEW TABLE AS ibutsu_new_runs
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_run_sums_insert();
CREATE TRIGGER ibutsu_run_sums_delete AFTER DELETE ON runs
    REFERENCING OLD TABLE AS ibutsu_old_runs
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_run_sums_delete();
CREATE TRIGGER ibutsu_run_sums_update AFTER UPDATE ON runs
    REFERENCING OLD TABLE AS ibutsu_old_runs NEW TABLE AS ibutsu_new_runs
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_run_sums_update();
CREATE TRIGGER ibutsu_run_sums_truncate AFTER TRUNCATE ON runs
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_run_sums_truncate();

TRUNCATE ibutsu_run_sums;
INSERT INTO ibutsu_run_sums
SELECT project_id, start_time::date, component, env, source, ibutsu_run_sums_job(data),
    sum(ibutsu_run_sums_num(summary, 'failures')), sum(ibutsu_run_sums_num(summary, 'errors')),
    sum(ibutsu_run_sums_num(summary, 'skips')), sum(ibutsu_run_sums_num(summary, 'tests')),
    sum(ibutsu_run_sums_num(summary, 'xfailures')), sum(ibutsu_run_sums_num(summary, 'xpasses')),
    sum(ibutsu_run_sums_num(summary, 'xpassed')), sum(ibutsu_run_sums_num(summary, 'xfailed'))
FROM runs GROUP BY 1, 2, 3, 4, 5, 6;

-- +goose Down

DROP TRIGGER IF EXISTS ibutsu_run_sums_insert ON runs;
DROP TRIGGER IF EXISTS ibutsu_run_sums_delete ON runs;
DROP TRIGGER IF EXISTS ibutsu_run_sums_update ON runs;
DROP TRIGGER IF EXISTS ibutsu_run_sums_truncate ON runs;
DROP FUNCTION IF EXISTS ibutsu_run_sums_insert();
DROP FUNCTION IF EXISTS ibutsu_run_sums_delete();
DROP FUNCTION IF EXISTS ibutsu_run_sums_update();
DROP FUNCTION IF EXISTS ibutsu_run_sums_truncate();
DROP FUNCTION IF EXISTS ibutsu_run_sums_num(jsonb, text);
DROP FUNCTION IF EXISTS ibutsu_run_sums_job(jsonb);
DROP TABLE IF EXISTS ibutsu_run_sums;
