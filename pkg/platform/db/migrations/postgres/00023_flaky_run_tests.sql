-- Incremental flaky refresh of a run (docs/triage.md#when-detection-runs,
-- issue #21): per run and test id, how many results of the test the run
-- held, and how many of them failed or errored, when the run's refresh last
-- examined the test. The next refresh of the run examines only the tests
-- whose figures differ, instead of every test that failed in the run so far.
-- A row goes with its run (ON DELETE CASCADE); the periodic flaky refresh
-- deletes rows not written for a day (a run refreshed after that examines
-- its tests once more). No index besides the key: the prune reads the whole
-- table every 30 minutes, which holds about one row per failed test of the
-- last day.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_flaky_run_tests (
    run_id     uuid                        NOT NULL,
    test_id    text                        NOT NULL,
    results    integer                     NOT NULL,
    failures   integer                     NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    CONSTRAINT ibutsu_flaky_run_tests_pkey PRIMARY KEY (run_id, test_id),
    CONSTRAINT ibutsu_flaky_run_tests_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_flaky_run_tests;
