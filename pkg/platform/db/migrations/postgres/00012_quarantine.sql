-- Quarantined tests (docs/triage.md#quarantine): one row per pattern on
-- test_id a project quarantines. `match` is the pattern in this dialect's
-- matching syntax (a LIKE pattern here), written by pkg/quarantine with the
-- row, so the run counts match in SQL. A project's rows go with it
-- (ON DELETE CASCADE), so upstream's project deletion needs to know nothing
-- of this table.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_quarantine (
    id         uuid                        NOT NULL,
    project_id uuid                        NOT NULL,
    pattern    text                        NOT NULL,
    is_glob    boolean                     NOT NULL,
    match      text                        NOT NULL,
    reason     text                        NOT NULL,
    owner      text,
    created    timestamp without time zone NOT NULL,
    updated    timestamp without time zone NOT NULL,
    expires    timestamp without time zone,
    CONSTRAINT ibutsu_quarantine_pkey PRIMARY KEY (id),
    CONSTRAINT ibutsu_quarantine_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_ibutsu_quarantine_project_pattern ON ibutsu_quarantine (project_id, pattern);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_quarantine;
