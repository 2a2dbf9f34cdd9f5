-- Tasks that must not be lost (run summary updates, account e-mail) are
-- kept here while Redis cannot be reached, and queued once it answers
-- again (pkg/platform/queue, outbox.go). id is the task's id, so one run's
-- summary update is kept once however many writes touched the run.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_task_outbox (
    id      text                        NOT NULL,
    type    text                        NOT NULL,
    payload bytea                       NOT NULL,
    created timestamp without time zone NOT NULL,
    CONSTRAINT ibutsu_task_outbox_pkey PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_task_outbox_created ON ibutsu_task_outbox (created);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_task_outbox;
