-- PostgreSQL replaces the foreign key from a fingerprint row to its result
-- by statement triggers on results (see ../postgres/00027): the key's
-- check per failed row was 1 of the 6 WAL records and 5 of the 16 buffers a
-- failure added to the result batcher's statement; it also has its
-- class-count trigger return at once when its statement wrote no
-- classification row (SQLite has no such trigger). SQLite keeps 00009's
-- key, whose ON DELETE CASCADE removes a result's fingerprint as those
-- triggers do (one writer at a time, no row locks, and no ingest bound
-- measured on it), so this version only keeps the two directories'
-- numbering in step.

-- +goose Up

SELECT 1;

-- +goose Down

SELECT 1;
