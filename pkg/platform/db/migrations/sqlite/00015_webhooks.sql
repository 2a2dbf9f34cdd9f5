-- Webhook subscriptions and their deliveries (see ../postgres/00015).

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_webhooks (
    id          TEXT     NOT NULL,
    project_id  TEXT     NOT NULL,
    name        TEXT     NOT NULL,
    url         TEXT     NOT NULL,
    secret      TEXT     NOT NULL,
    events      TEXT     NOT NULL,
    format      TEXT     NOT NULL,
    enabled     BOOLEAN  NOT NULL,
    created     DATETIME NOT NULL,
    updated     DATETIME NOT NULL,
    lease_owner TEXT,
    lease_until DATETIME,
    CONSTRAINT ibutsu_webhooks_pkey PRIMARY KEY (id),
    CONSTRAINT ibutsu_webhooks_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_webhooks_project ON ibutsu_webhooks (project_id);

CREATE TABLE IF NOT EXISTS ibutsu_webhook_deliveries (
    seq           INTEGER  NOT NULL PRIMARY KEY AUTOINCREMENT,
    webhook_id    TEXT     NOT NULL,
    event_id      TEXT     NOT NULL,
    event         TEXT     NOT NULL,
    payload       TEXT     NOT NULL,
    status        TEXT     NOT NULL,
    attempts      INTEGER  NOT NULL DEFAULT 0,
    response_code INTEGER,
    last_error    TEXT,
    created       DATETIME NOT NULL,
    next_attempt  DATETIME NOT NULL,
    last_attempt  DATETIME,
    delivered     DATETIME,
    CONSTRAINT ibutsu_webhook_deliveries_event_key UNIQUE (webhook_id, event_id),
    CONSTRAINT ibutsu_webhook_deliveries_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES ibutsu_webhooks (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_webhook_deliveries_order ON ibutsu_webhook_deliveries (webhook_id, status, seq);
CREATE INDEX IF NOT EXISTS ix_ibutsu_webhook_deliveries_due ON ibutsu_webhook_deliveries (status, next_attempt);

CREATE TABLE IF NOT EXISTS ibutsu_webhook_announced (
    run_id      TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    CONSTRAINT ibutsu_webhook_announced_pkey PRIMARY KEY (run_id, fingerprint),
    CONSTRAINT ibutsu_webhook_announced_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_webhook_announced;
DROP TABLE IF EXISTS ibutsu_webhook_deliveries;
DROP TABLE IF EXISTS ibutsu_webhooks;
