-- Known-failure classification (see ../postgres/00013).

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_fingerprint_classifications (
    result_id      TEXT NOT NULL,
    project_id     TEXT,
    fingerprint    TEXT NOT NULL,
    classification TEXT NOT NULL,
    CONSTRAINT ibutsu_fingerprint_classifications_pkey PRIMARY KEY (result_id),
    CONSTRAINT ibutsu_fingerprint_classifications_result_id_fkey FOREIGN KEY (result_id) REFERENCES ibutsu_result_fingerprints (result_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_fingerprint_classifications_seen ON ibutsu_fingerprint_classifications (project_id, fingerprint, classification);

CREATE TABLE IF NOT EXISTS ibutsu_project_triage (
    project_id    TEXT    NOT NULL,
    auto_classify BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT ibutsu_project_triage_pkey PRIMARY KEY (project_id),
    CONSTRAINT ibutsu_project_triage_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS ibutsu_classification_history (
    id          TEXT                        NOT NULL,
    result_id   TEXT                        NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    user_id     TEXT,
    by_rule     BOOLEAN                     NOT NULL DEFAULT false,
    fingerprint TEXT,
    changed_at  DATETIME NOT NULL,
    CONSTRAINT ibutsu_classification_history_pkey PRIMARY KEY (id),
    CONSTRAINT ibutsu_classification_history_result_id_fkey FOREIGN KEY (result_id) REFERENCES results (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_classification_history_result ON ibutsu_classification_history (result_id, changed_at);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_classification_history;
DROP TABLE IF EXISTS ibutsu_project_triage;
DROP TABLE IF EXISTS ibutsu_fingerprint_classifications;
