-- Tasks kept while Redis cannot be reached (see ../postgres/00008). The
-- embedded queue needs no Redis, but the numbering stays the same.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_task_outbox (
    id      TEXT     NOT NULL,
    type    TEXT     NOT NULL,
    payload BLOB     NOT NULL,
    created DATETIME NOT NULL,
    CONSTRAINT ibutsu_task_outbox_pkey PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_task_outbox_created ON ibutsu_task_outbox (created);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_task_outbox;
