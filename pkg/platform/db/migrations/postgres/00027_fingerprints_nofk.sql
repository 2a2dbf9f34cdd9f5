-- A fingerprint row goes with its result through statement triggers on
-- results instead of 00009's foreign key (issue #21, what a failed result
-- costs on POST /api/result; docs/triage.md#where-fingerprints-are-kept-and-when-they-are-computed).
--
-- Why: the key's check ran once per fingerprint row written, as a queued
-- trigger event and a SELECT ... FOR KEY SHARE of the result's row, which
-- also marks that row locked: per failed result 5 shared buffers and one
-- WAL record of what a failure added to the result batcher's statement
-- (16 buffers, 6 WAL records; BenchmarkFailureRowCost in pkg/fingerprint,
-- docs/triage.md#performance). The row it checks was
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

-- +goose Up

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

-- Rows a result left behind (none, if the triggers did their work) would
-- fail the key's validation.
DELETE FROM ibutsu_result_fingerprints f WHERE NOT EXISTS (SELECT 1 FROM results r WHERE r.id = f.result_id);
ALTER TABLE ibutsu_result_fingerprints ADD CONSTRAINT ibutsu_result_fingerprints_result_id_fkey
    FOREIGN KEY (result_id) REFERENCES results (id) ON DELETE CASCADE;
DROP TRIGGER IF EXISTS ibutsu_result_fingerprints_results_delete ON results;
DROP TRIGGER IF EXISTS ibutsu_result_fingerprints_results_truncate ON results;
DROP FUNCTION IF EXISTS ibutsu_result_fingerprints_results_delete();
DROP FUNCTION IF EXISTS ibutsu_result_fingerprints_results_truncate();
