-- PostgreSQL keeps trigger-maintained per-run result counts here (see
-- ../postgres/00024), which the run summary folds instead of aggregating a
-- run's results. The embedded SQLite database holds small runs, whose
-- summary aggregates the results directly, so this version only keeps the
-- two directories' numbering in step.

-- +goose Up

SELECT 1;

-- +goose Down

SELECT 1;
