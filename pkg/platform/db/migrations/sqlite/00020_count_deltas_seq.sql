-- PostgreSQL counts the write statements since the count tables' last
-- compaction here (see ../postgres/00020). SQLite keeps no count tables,
-- so this version only keeps the two directories' numbering in step.

-- +goose Up

SELECT 1;

-- +goose Down

SELECT 1;
