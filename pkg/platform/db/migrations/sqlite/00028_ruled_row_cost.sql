-- PostgreSQL replaces the foreign keys of a classification row to its
-- fingerprint and of an audit row to its result (00013) by statement
-- triggers (see ../postgres/00028): each key's check ran once per failure
-- the automatic rule classified in the result batcher's statement, for a
-- row that statement had just written. SQLite keeps both keys, whose ON
-- DELETE CASCADE removes these rows as those triggers do (one writer at a
-- time, no row locks, and no ingest bound measured on it), so this version
-- only keeps the two directories' numbering in step.

-- +goose Up

SELECT 1;

-- +goose Down

SELECT 1;
