-- PostgreSQL records here which tests of a run were written since the
-- run's last flaky refresh, from the result triggers of 00024 (see
-- ../postgres/00026). SQLite has neither those triggers nor their large
-- runs: the refresh of a run reads the run's failures (changedTestsSQL,
-- through 00025's partial index), so this version only keeps the two
-- directories' numbering in step.

-- +goose Up

SELECT 1;

-- +goose Down

SELECT 1;
