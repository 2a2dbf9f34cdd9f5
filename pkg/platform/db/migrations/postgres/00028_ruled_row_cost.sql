-- What a failure classified by the automatic rule costs PostgreSQL on POST
-- /api/result (issue #21; docs/triage.md#performance): the two foreign keys
-- of migration 00013 that every ruled failure checked for rows the same
-- statement had just written go, replaced as 00027 replaced the
-- fingerprint's key to its result.
--
-- ibutsu_fingerprint_classifications → ibutsu_result_fingerprints and
-- ibutsu_classification_history → results: the result batcher's statement
-- (foldedInsert) writes a ruled failure's result, fingerprint,
-- classification row and audit row together, and each key queued a trigger
-- event per row and ran a SELECT ... FOR KEY SHARE of the row it names,
-- which also marks that row locked (a WAL record). Imports write the same
-- rows in the transaction that wrote the result. The other writers hold
-- the result's row first: PUT /result and bulk updates lock it FOR UPDATE
-- before they write either table, the backfill FOR KEY SHARE, and
-- SyncClasses, which writes classification rows for results another
-- transaction may have written, locks the result and its fingerprint FOR
-- KEY SHARE in its own INSERT (pkg/fingerprint/store_classify.go): a
-- DELETE in flight makes it wait and then skip the result.
--
-- Deletes: statement triggers, as 00027's, take the rows with what they
-- hang on in one statement each. A DELETE of fingerprint rows (with their
-- results through 00027's trigger, or one at a time when an edit makes a
-- result pass) deletes their classification rows; a DELETE of results
-- deletes their audit rows, whichever statement or cascade deletes them.
-- TRUNCATE of either table empties the dependent one, unless the same
-- statement truncated it already (00027's TRUNCATE of both tables under
-- results does): a TRUNCATE of a table its own statement still has open
-- is refused, and there is nothing left to empty. The classification
-- rows' delete still fires the class-count triggers of 00021/00022, so the
-- counts stay exact. (An UPDATE of a fingerprint row's result_id would
-- leave its classification behind; no writer changes it: upserts keep it,
-- it is their conflict key.)
--
-- Also dropped: 00013's index ix_ibutsu_fingerprint_classifications_seen
-- (project_id, fingerprint, classification). Every classified failure,
-- ruled or not, wrote an entry into it, and on PostgreSQL no query reads
-- it any more: the rule and the suggestion read the class counts (00021),
-- and every other read or delete of the table goes by result_id, its
-- primary key. SQLite keeps it (its rule and suggestion count the rows).

-- +goose Up

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_fingerprint_classifications_fingerprints_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM ibutsu_deleted_fingerprints) THEN
        RETURN NULL;
    END IF;
    DELETE FROM ibutsu_fingerprint_classifications
    WHERE result_id = ANY (ARRAY(SELECT result_id FROM ibutsu_deleted_fingerprints));
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_fingerprint_classifications_fingerprints_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM ibutsu_fingerprint_classifications) THEN
        TRUNCATE ibutsu_fingerprint_classifications;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_classification_history_results_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM ibutsu_deleted_results) THEN
        RETURN NULL;
    END IF;
    DELETE FROM ibutsu_classification_history
    WHERE result_id = ANY (ARRAY(SELECT id FROM ibutsu_deleted_results));
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_classification_history_results_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM ibutsu_classification_history) THEN
        TRUNCATE ibutsu_classification_history;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

DROP TRIGGER IF EXISTS ibutsu_fingerprint_classifications_fingerprints_delete ON ibutsu_result_fingerprints;
DROP TRIGGER IF EXISTS ibutsu_fingerprint_classifications_fingerprints_truncate ON ibutsu_result_fingerprints;
DROP TRIGGER IF EXISTS ibutsu_classification_history_results_delete ON results;
DROP TRIGGER IF EXISTS ibutsu_classification_history_results_truncate ON results;
CREATE TRIGGER ibutsu_fingerprint_classifications_fingerprints_delete AFTER DELETE ON ibutsu_result_fingerprints
    REFERENCING OLD TABLE AS ibutsu_deleted_fingerprints
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_fingerprint_classifications_fingerprints_delete();
CREATE TRIGGER ibutsu_fingerprint_classifications_fingerprints_truncate AFTER TRUNCATE ON ibutsu_result_fingerprints
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_fingerprint_classifications_fingerprints_truncate();
CREATE TRIGGER ibutsu_classification_history_results_delete AFTER DELETE ON results
    REFERENCING OLD TABLE AS ibutsu_deleted_results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_classification_history_results_delete();
CREATE TRIGGER ibutsu_classification_history_results_truncate AFTER TRUNCATE ON results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_classification_history_results_truncate();

-- In the triggers' transaction: nothing is deleted between the two
-- without taking its rows with it.
ALTER TABLE ibutsu_fingerprint_classifications DROP CONSTRAINT IF EXISTS ibutsu_fingerprint_classifications_result_id_fkey;
ALTER TABLE ibutsu_classification_history DROP CONSTRAINT IF EXISTS ibutsu_classification_history_result_id_fkey;

DROP INDEX IF EXISTS ix_ibutsu_fingerprint_classifications_seen;

-- +goose Down

CREATE INDEX IF NOT EXISTS ix_ibutsu_fingerprint_classifications_seen ON ibutsu_fingerprint_classifications (project_id, fingerprint, classification);

-- Rows left without what they hang on (none, if the triggers did their
-- work) would fail the keys' validation.
DELETE FROM ibutsu_fingerprint_classifications c
WHERE NOT EXISTS (SELECT 1 FROM ibutsu_result_fingerprints f WHERE f.result_id = c.result_id);
DELETE FROM ibutsu_classification_history h WHERE NOT EXISTS (SELECT 1 FROM results r WHERE r.id = h.result_id);
ALTER TABLE ibutsu_fingerprint_classifications ADD CONSTRAINT ibutsu_fingerprint_classifications_result_id_fkey
    FOREIGN KEY (result_id) REFERENCES ibutsu_result_fingerprints (result_id) ON DELETE CASCADE;
ALTER TABLE ibutsu_classification_history ADD CONSTRAINT ibutsu_classification_history_result_id_fkey
    FOREIGN KEY (result_id) REFERENCES results (id) ON DELETE CASCADE;
DROP TRIGGER IF EXISTS ibutsu_fingerprint_classifications_fingerprints_delete ON ibutsu_result_fingerprints;
DROP TRIGGER IF EXISTS ibutsu_fingerprint_classifications_fingerprints_truncate ON ibutsu_result_fingerprints;
DROP TRIGGER IF EXISTS ibutsu_classification_history_results_delete ON results;
DROP TRIGGER IF EXISTS ibutsu_classification_history_results_truncate ON results;
DROP FUNCTION IF EXISTS ibutsu_fingerprint_classifications_fingerprints_delete();
DROP FUNCTION IF EXISTS ibutsu_fingerprint_classifications_fingerprints_truncate();
DROP FUNCTION IF EXISTS ibutsu_classification_history_results_delete();
DROP FUNCTION IF EXISTS ibutsu_classification_history_results_truncate();
