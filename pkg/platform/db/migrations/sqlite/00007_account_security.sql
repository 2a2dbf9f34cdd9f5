-- Account security state in our own table (see ../postgres/00007): login
-- token cut-off, purpose and issue time of the users.activation_code, and
-- whether the bootstrap created the account. Times are unix seconds.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_account_security (
    user_id           TEXT    NOT NULL,
    login_not_before  INTEGER,
    code_hash         TEXT,
    code_purpose      TEXT,
    code_issued_at    INTEGER,
    bootstrap_created BOOLEAN NOT NULL DEFAULT 0,
    CONSTRAINT ibutsu_account_security_pkey PRIMARY KEY (user_id),
    CONSTRAINT ibutsu_account_security_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ibutsu_account_security_purpose_check CHECK (code_purpose IS NULL OR code_purpose IN ('activation', 'reset'))
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_account_security;
