-- Incremental flaky refresh of a run: what the run's refresh last examined
-- (see ../postgres/00023).

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_flaky_run_tests (
    run_id     TEXT     NOT NULL,
    test_id    TEXT     NOT NULL,
    results    INTEGER  NOT NULL,
    failures   INTEGER  NOT NULL,
    updated_at DATETIME NOT NULL,
    CONSTRAINT ibutsu_flaky_run_tests_pkey PRIMARY KEY (run_id, test_id),
    CONSTRAINT ibutsu_flaky_run_tests_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_flaky_run_tests;
