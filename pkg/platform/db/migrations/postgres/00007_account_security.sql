-- Account security state, in our own table so upstream's users table stays
-- exactly as upstream builds it (a Python server may share the database).
-- One row per user, created when first needed; it goes with its user.
--
--   login_not_before   unix seconds: login tokens issued (iat) before it are
--                      refused; set by a password change or reset.
--   code_hash          sha256 (hex) of the users.activation_code this row
--                      describes; a code without a matching row is refused.
--   code_purpose       'activation' (registration) or 'reset' (recovery).
--   code_issued_at     unix seconds; the code expires a configured time later.
--   bootstrap_created  the start-up bootstrap created this account, so it may
--                      promote it again; it never promotes any other account.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_account_security (
    user_id           uuid    NOT NULL,
    login_not_before  bigint,
    code_hash         text,
    code_purpose      text,
    code_issued_at    bigint,
    bootstrap_created boolean NOT NULL DEFAULT false,
    CONSTRAINT ibutsu_account_security_pkey PRIMARY KEY (user_id),
    CONSTRAINT ibutsu_account_security_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ibutsu_account_security_purpose_check CHECK (code_purpose IS NULL OR code_purpose IN ('activation', 'reset'))
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_account_security;
