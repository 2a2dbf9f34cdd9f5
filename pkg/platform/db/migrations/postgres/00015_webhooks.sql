-- Webhook subscriptions and their deliveries (docs/notifications.md,
-- pkg/webhook). A delivery row is written in the transaction of the event it
-- announces and is the queue's source of truth: the asynq task only says
-- "look at this subscription", so a lost task or a restarted worker loses no
-- delivery. seq orders a subscription's deliveries; (webhook_id, event_id)
-- is unique, so an event is queued once per subscription whatever retries
-- the code that raises it. ibutsu_webhook_announced remembers which new
-- failure fingerprints of a run were already announced.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_webhooks (
    id          uuid                        NOT NULL,
    project_id  uuid                        NOT NULL,
    name        text                        NOT NULL,
    url         text                        NOT NULL,
    secret      text                        NOT NULL,
    events      text                        NOT NULL,
    format      text                        NOT NULL,
    enabled     boolean                     NOT NULL,
    created     timestamp without time zone NOT NULL,
    updated     timestamp without time zone NOT NULL,
    lease_owner text,
    lease_until timestamp without time zone,
    CONSTRAINT ibutsu_webhooks_pkey PRIMARY KEY (id),
    CONSTRAINT ibutsu_webhooks_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_webhooks_project ON ibutsu_webhooks (project_id);

CREATE TABLE IF NOT EXISTS ibutsu_webhook_deliveries (
    seq           bigserial                   NOT NULL,
    webhook_id    uuid                        NOT NULL,
    event_id      text                        NOT NULL,
    event         text                        NOT NULL,
    payload       text                        NOT NULL,
    status        text                        NOT NULL,
    attempts      integer                     NOT NULL DEFAULT 0,
    response_code integer,
    last_error    text,
    created       timestamp without time zone NOT NULL,
    next_attempt  timestamp without time zone NOT NULL,
    last_attempt  timestamp without time zone,
    delivered     timestamp without time zone,
    CONSTRAINT ibutsu_webhook_deliveries_pkey PRIMARY KEY (seq),
    CONSTRAINT ibutsu_webhook_deliveries_event_key UNIQUE (webhook_id, event_id),
    CONSTRAINT ibutsu_webhook_deliveries_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES ibutsu_webhooks (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_webhook_deliveries_order ON ibutsu_webhook_deliveries (webhook_id, status, seq);
CREATE INDEX IF NOT EXISTS ix_ibutsu_webhook_deliveries_due ON ibutsu_webhook_deliveries (status, next_attempt);

CREATE TABLE IF NOT EXISTS ibutsu_webhook_announced (
    run_id      uuid NOT NULL,
    fingerprint text NOT NULL,
    CONSTRAINT ibutsu_webhook_announced_pkey PRIMARY KEY (run_id, fingerprint),
    CONSTRAINT ibutsu_webhook_announced_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_webhook_announced;
DROP TABLE IF EXISTS ibutsu_webhook_deliveries;
DROP TABLE IF EXISTS ibutsu_webhooks;
