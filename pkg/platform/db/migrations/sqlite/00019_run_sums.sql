-- PostgreSQL keeps trigger-maintained run summary sums here (see
-- ../postgres/00019). The embedded SQLite database holds small data sets,
-- whose widgets sum the runs directly, so this version only keeps the two
-- directories' numbering in step.

-- +goose Up

SELECT 1;

-- +goose Down

SELECT 1;
