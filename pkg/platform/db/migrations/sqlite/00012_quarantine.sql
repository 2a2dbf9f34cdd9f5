-- Quarantined tests (see ../postgres/00012); `match` is a GLOB pattern here.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_quarantine (
    id         TEXT     NOT NULL,
    project_id TEXT     NOT NULL,
    pattern    TEXT     NOT NULL,
    is_glob    BOOLEAN  NOT NULL,
    match      TEXT     NOT NULL,
    reason     TEXT     NOT NULL,
    owner      TEXT,
    created    DATETIME NOT NULL,
    updated    DATETIME NOT NULL,
    expires    DATETIME,
    CONSTRAINT ibutsu_quarantine_pkey PRIMARY KEY (id),
    CONSTRAINT ibutsu_quarantine_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_ibutsu_quarantine_project_pattern ON ibutsu_quarantine (project_id, pattern);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_quarantine;
