-- How many delta rows the count tables (00005's ibutsu_result_counts,
-- 00019's ibutsu_run_sums) hold beyond their last compaction, cheaply:
-- one more statement trigger on results and on runs takes a number from
-- ibutsu_count_deltas_seq per write statement (each such statement
-- appends its deltas, usually one row per group it touched), and the
-- compaction records the number it folded up to in
-- ibutsu_count_compactions. The difference is the statements since, which
-- the backends read every few writes to queue a compaction once it passes
-- a threshold (pkg/maintenance/trigger.go), so readers never sum more
-- than about that many deltas under sustained ingest.
--
-- A sequence, not a counter row: nextval is not transactional and takes
-- no row lock, so concurrent writers never wait on each other for it, and
-- a rolled-back statement only makes the count err high (an early
-- compaction), never low.

-- +goose Up

CREATE SEQUENCE IF NOT EXISTS ibutsu_count_deltas_seq;

-- One row (id 1): the sequence value the last compaction folded up to.
CREATE TABLE IF NOT EXISTS ibutsu_count_compactions (
    id         integer PRIMARY KEY CHECK (id = 1),
    folded_seq bigint  NOT NULL
);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_count_deltas_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('ibutsu_count_deltas_seq');
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Dropped first, so the migration can run again (as 00019).
DROP TRIGGER IF EXISTS ibutsu_count_deltas_bump ON results;
DROP TRIGGER IF EXISTS ibutsu_count_deltas_bump ON runs;
CREATE TRIGGER ibutsu_count_deltas_bump AFTER INSERT OR UPDATE OR DELETE ON results
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_count_deltas_bump();
CREATE TRIGGER ibutsu_count_deltas_bump AFTER INSERT OR UPDATE OR DELETE ON runs
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_count_deltas_bump();

-- +goose Down

DROP TRIGGER IF EXISTS ibutsu_count_deltas_bump ON results;
DROP TRIGGER IF EXISTS ibutsu_count_deltas_bump ON runs;
DROP FUNCTION IF EXISTS ibutsu_count_deltas_bump();
DROP TABLE IF EXISTS ibutsu_count_compactions;
DROP SEQUENCE IF EXISTS ibutsu_count_deltas_seq;
