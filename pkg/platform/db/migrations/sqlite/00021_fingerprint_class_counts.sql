-- PostgreSQL keeps trigger-maintained classification counts here (see
-- ../postgres/00021). The embedded SQLite database holds small data sets,
-- whose automatic classification rule counts the classification rows
-- directly, so this version only keeps the two directories' numbering in
-- step.

-- +goose Up

SELECT 1;

-- +goose Down

SELECT 1;
