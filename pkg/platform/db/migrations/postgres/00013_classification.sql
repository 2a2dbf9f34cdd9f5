-- Known-failure classification (docs/triage.md): which fingerprinted
-- failures carry a classification (the suggestion and the automatic rule
-- read it by project and fingerprint), the per-project rule switch, and the
-- audit trail of every classification change made through this server.
-- All three go with their result or project (ON DELETE CASCADE).

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_fingerprint_classifications (
    result_id      uuid NOT NULL,
    project_id     uuid,
    fingerprint    text NOT NULL,
    classification text NOT NULL,
    CONSTRAINT ibutsu_fingerprint_classifications_pkey PRIMARY KEY (result_id),
    CONSTRAINT ibutsu_fingerprint_classifications_result_id_fkey FOREIGN KEY (result_id) REFERENCES ibutsu_result_fingerprints (result_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_fingerprint_classifications_seen ON ibutsu_fingerprint_classifications (project_id, fingerprint, classification);

CREATE TABLE IF NOT EXISTS ibutsu_project_triage (
    project_id    uuid    NOT NULL,
    auto_classify boolean NOT NULL DEFAULT false,
    CONSTRAINT ibutsu_project_triage_pkey PRIMARY KEY (project_id),
    CONSTRAINT ibutsu_project_triage_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS ibutsu_classification_history (
    id          uuid                        NOT NULL,
    result_id   uuid                        NOT NULL,
    old_value   text,
    new_value   text,
    user_id     uuid,
    by_rule     boolean                     NOT NULL DEFAULT false,
    fingerprint text,
    changed_at  timestamp without time zone NOT NULL,
    CONSTRAINT ibutsu_classification_history_pkey PRIMARY KEY (id),
    CONSTRAINT ibutsu_classification_history_result_id_fkey FOREIGN KEY (result_id) REFERENCES results (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_classification_history_result ON ibutsu_classification_history (result_id, changed_at);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_classification_history;
DROP TABLE IF EXISTS ibutsu_project_triage;
DROP TABLE IF EXISTS ibutsu_fingerprint_classifications;
