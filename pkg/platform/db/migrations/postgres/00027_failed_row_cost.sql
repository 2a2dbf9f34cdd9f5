-- Two cuts in what a failed result costs PostgreSQL on POST /api/result
-- (issue #21; docs/triage.md#performance).
--
-- 1. A fingerprint row goes with its result through statement triggers on
-- results instead of 00009's foreign key
-- (docs/triage.md#where-fingerprints-are-kept-and-when-they-are-computed).
--
-- Why: the key's check ran once per fingerprint row written, as a queued
-- trigger event and a SELECT ... FOR KEY SHARE of the result's row, which
-- also marks that row locked: per failed result 5 shared buffers and one
-- WAL record of what a failure added to the result batcher's statement
-- (16 buffers, 6 WAL records; BenchmarkFailureRowCost in pkg/fingerprint,
-- see docs/triage.md#performance). The row it checks was
-- written by the same statement (foldedInsert) or earlier in the same
-- transaction, which holds it (an import batch, an edit holding its
-- result's row lock); the hourly backfill, the one writer of fingerprints
-- of results written by others, takes the same lock itself first
-- (pkg/fingerprint/backfill.go). So a fingerprint row always names a
-- result that exists when it is written, and deleting a result's row with
-- the result leaves none behind.
--
-- The delete trigger takes the deleted ids in one statement, one probe of
-- the primary key per id, as the key's cascade did row by row; it fires for
-- every DELETE of results, ours, upstream's and the cascades from runs and
-- projects alike. A truncated results table (TRUNCATE ... CASCADE, which
-- no longer reaches this table) empties it and the classification rows
-- that hang on it. The classification rows keep their own foreign key to
-- this table and go with their fingerprint as before.

-- 2. The class-count trigger of 00021/00022 on ibutsu_fingerprint_classifications
-- returns at once when its statement wrote no classification row. A
-- statement trigger fires even then, and the result batcher's statement for
-- a batch with a failure (foldedInsert) has an INSERT into that table in
-- every call, so every such batch paid the trigger's INSERT into
-- ibutsu_fingerprint_class_counts and its due-for-a-fold query over
-- nothing, when most failures arrive unclassified in a project without the
-- automatic rule: EXPLAIN ANALYZE of a one-row batch (a failure at one
-- client) put the trigger at 0.06-0.16 ms, 0.02-0.05 ms with the check
-- (load 20-25, 8 calls on one connection each way). What it does when it
-- wrote rows is 00022's, unchanged. (The delete and update triggers of the
-- same table fire on edits and re-syncs only, and are left as they are.)

-- +goose Up

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_fingerprint_class_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ps uuid[];
    fps text[];
BEGIN
    IF NOT EXISTS (SELECT FROM ibutsu_new_classes) THEN
        RETURN NULL;
    END IF;
    WITH ins AS (
        INSERT INTO ibutsu_fingerprint_class_counts (project_id, fingerprint, classification, n)
        SELECT project_id, fingerprint, classification, count(*)
        FROM ibutsu_new_classes WHERE project_id IS NOT NULL GROUP BY 1, 2, 3
        RETURNING project_id, fingerprint
    )
    SELECT array_agg(k.project_id), array_agg(k.fingerprint) INTO ps, fps
    FROM (SELECT project_id, fingerprint, count(*) AS added FROM ins GROUP BY 1, 2) k
    WHERE k.added + (SELECT count(*) FROM (SELECT 1 FROM ibutsu_fingerprint_class_counts c
           WHERE c.project_id = k.project_id AND c.fingerprint = k.fingerprint LIMIT 33) x) > 32;
    IF ps IS NOT NULL THEN
        PERFORM ibutsu_fingerprint_class_counts_fold(ps, fps);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_result_fingerprints_results_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ibutsu_result_fingerprints
    WHERE result_id = ANY (ARRAY(SELECT id FROM ibutsu_deleted_results));
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_result_fingerprints_results_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE ibutsu_fingerprint_classifications, ibutsu_result_fingerprints;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

DROP TRIGGER IF EXISTS ibutsu_result_fingerprints_results_delete ON results;
DROP TRIGGER IF EXISTS ibutsu_result_fingerprints_results_truncate ON results;
CREATE TRIGGER ibutsu_result_fingerprints_results_delete AFTER DELETE ON results
    REFERENCING OLD TABLE AS ibutsu_deleted_results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_result_fingerprints_results_delete();
CREATE TRIGGER ibutsu_result_fingerprints_results_truncate AFTER TRUNCATE ON results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_result_fingerprints_results_truncate();

-- In the triggers' transaction: no result is deleted between the two
-- without taking its fingerprint with it.
ALTER TABLE ibutsu_result_fingerprints DROP CONSTRAINT IF EXISTS ibutsu_result_fingerprints_result_id_fkey;

-- +goose Down

-- 00022's class-count insert function.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_fingerprint_class_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ps uuid[];
    fps text[];
BEGIN
    WITH ins AS (
        INSERT INTO ibutsu_fingerprint_class_counts (project_id, fingerprint, classification, n)
        SELECT project_id, fingerprint, classification, count(*)
        FROM ibutsu_new_classes WHERE project_id IS NOT NULL GROUP BY 1, 2, 3
        RETURNING project_id, fingerprint
    )
    SELECT array_agg(k.project_id), array_agg(k.fingerprint) INTO ps, fps
    FROM (SELECT project_id, fingerprint, count(*) AS added FROM ins GROUP BY 1, 2) k
    WHERE k.added + (SELECT count(*) FROM (SELECT 1 FROM ibutsu_fingerprint_class_counts c
           WHERE c.project_id = k.project_id AND c.fingerprint = k.fingerprint LIMIT 33) x) > 32;
    IF ps IS NOT NULL THEN
        PERFORM ibutsu_fingerprint_class_counts_fold(ps, fps);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Rows a result left behind (none, if the triggers did their work) would
-- fail the key's validation.
DELETE FROM ibutsu_result_fingerprints f WHERE NOT EXISTS (SELECT 1 FROM results r WHERE r.id = f.result_id);
ALTER TABLE ibutsu_result_fingerprints ADD CONSTRAINT ibutsu_result_fingerprints_result_id_fkey
    FOREIGN KEY (result_id) REFERENCES results (id) ON DELETE CASCADE;
DROP TRIGGER IF EXISTS ibutsu_result_fingerprints_results_delete ON results;
DROP TRIGGER IF EXISTS ibutsu_result_fingerprints_results_truncate ON results;
DROP FUNCTION IF EXISTS ibutsu_result_fingerprints_results_delete();
DROP FUNCTION IF EXISTS ibutsu_result_fingerprints_results_truncate();
