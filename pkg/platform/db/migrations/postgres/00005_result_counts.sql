-- Result counts per project, day, result, component and env, kept exact by
-- triggers on results, so the result-aggregator widget's common questions
-- ("results of this project in the last 90 days by result/component/env")
-- read a few thousand count rows instead of every results row.
--
-- The triggers are statement-level with transition tables: a multi-row
-- INSERT or a COPY of 100k rows adds one count row per group it touched,
-- not one per result. Rows are deltas (a DELETE adds negative counts) and
-- are only ever appended inside the writer's transaction, so writers never
-- wait on each other for a hot counter row and a reader's snapshot always
-- matches the results table exactly. The periodic compact-result-counts
-- job folds the deltas into one row per group.
--
-- Any writer keeps the counts right, including an upstream Python server
-- sharing the database. The backfill runs in the same transaction as the
-- trigger creation, which locks out writes to results until it commits, so
-- no result is counted twice or missed.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_result_counts (
    project_id uuid,
    day        date   NOT NULL,
    result     text,
    component  text,
    env        text,
    n          bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_result_counts_project_day ON ibutsu_result_counts (project_id, day);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_result_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ibutsu_result_counts (project_id, day, result, component, env, n)
    SELECT project_id, start_time::date, result, component, env, count(*)
    FROM ibutsu_new_results GROUP BY 1, 2, 3, 4, 5;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_result_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ibutsu_result_counts (project_id, day, result, component, env, n)
    SELECT project_id, start_time::date, result, component, env, -count(*)
    FROM ibutsu_old_results GROUP BY 1, 2, 3, 4, 5;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- An UPDATE that changes none of the counted columns (a classification, a
-- metadata edit) nets to zero per group and adds nothing.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_result_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ibutsu_result_counts (project_id, day, result, component, env, n)
    SELECT project_id, day, result, component, env, sum(n) FROM (
        SELECT project_id, start_time::date AS day, result, component, env, -1 AS n FROM ibutsu_old_results
        UNION ALL
        SELECT project_id, start_time::date, result, component, env, 1 FROM ibutsu_new_results
    ) d GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_result_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE ibutsu_result_counts;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER ibutsu_result_counts_insert AFTER INSERT ON results
    REFERENCING NEW TABLE AS ibutsu_new_results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_result_counts_insert();
CREATE TRIGGER ibutsu_result_counts_delete AFTER DELETE ON results
    REFERENCING OLD TABLE AS ibutsu_old_results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_result_counts_delete();
CREATE TRIGGER ibutsu_result_counts_update AFTER UPDATE ON results
    REFERENCING OLD TABLE AS ibutsu_old_results NEW TABLE AS ibutsu_new_results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_result_counts_update();
CREATE TRIGGER ibutsu_result_counts_truncate AFTER TRUNCATE ON results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_result_counts_truncate();

TRUNCATE ibutsu_result_counts;
INSERT INTO ibutsu_result_counts (project_id, day, result, component, env, n)
SELECT project_id, start_time::date, result, component, env, count(*)
FROM results GROUP BY 1, 2, 3, 4, 5;

-- +goose Down

DROP TRIGGER IF EXISTS ibutsu_result_counts_insert ON results;
DROP TRIGGER IF EXISTS ibutsu_result_counts_delete ON results;
DROP TRIGGER IF EXISTS ibutsu_result_counts_update ON results;
DROP TRIGGER IF EXISTS ibutsu_result_counts_truncate ON results;
DROP FUNCTION IF EXISTS ibutsu_result_counts_insert();
DROP FUNCTION IF EXISTS ibutsu_result_counts_delete();
DROP FUNCTION IF EXISTS ibutsu_result_counts_update();
DROP FUNCTION IF EXISTS ibutsu_result_counts_truncate();
DROP TABLE IF EXISTS ibutsu_result_counts;
