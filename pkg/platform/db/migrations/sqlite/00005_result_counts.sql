-- PostgreSQL keeps trigger-maintained result counts here (see
-- ../postgres/00005). The embedded SQLite database holds small data sets,
-- which the result-aggregator widget counts directly, so this version only
-- keeps the two directories' numbering in step.

-- +goose Up

SELECT 1;

-- +goose Down

SELECT 1;
