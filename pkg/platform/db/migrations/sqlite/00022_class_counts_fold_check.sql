-- PostgreSQL's class-count triggers check whether a fold is due in their
-- own statement (see ../postgres/00022). SQLite keeps no class counts
-- (../sqlite/00021), so this version only keeps the two directories'
-- numbering in step.

-- +goose Up

SELECT 1;

-- +goose Down

SELECT 1;
