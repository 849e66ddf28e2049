-- +goose Up
-- Configuration → Security: the password policy and whether Administrators
-- and Owners must sign in with two factors. At most one row; none yet means
-- the defaults, so nothing needs to be there before anyone saves the screen.
CREATE TABLE security_settings (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    password_min_length     INTEGER NOT NULL DEFAULT 10 CHECK (password_min_length >= 10),
    password_max_length     INTEGER NOT NULL DEFAULT 200,
    password_require_digit  INTEGER NOT NULL DEFAULT 0,
    password_require_letter INTEGER NOT NULL DEFAULT 0,
    password_refuse_common  INTEGER NOT NULL DEFAULT 1,
    password_expiry_days    INTEGER NOT NULL DEFAULT 0,
    require_two_factor      INTEGER NOT NULL DEFAULT 0,
    CHECK (password_max_length >= password_min_length)
);

-- When each password was set, for the expiry. Every change of a password
-- also moved updated_at, so it is a safe first value: never later than the
-- password itself is old.
ALTER TABLE agents ADD COLUMN password_changed_at INTEGER;
UPDATE agents SET password_changed_at = updated_at;

-- Two-factor sign-in: an agent's authenticator secret, enabled once a code
-- confirmed it; last_step is the last time step a code was taken for, so a
-- code works once.
CREATE TABLE agent_totp (
    agent_id   INTEGER PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    secret     TEXT    NOT NULL,
    enabled_at INTEGER,
    last_step  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- One-time recovery codes, kept as SHA-256 hashes (they are random, 60 bits
-- each, so a slow hash adds nothing).
CREATE TABLE agent_recovery_codes (
    agent_id  INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    code_hash BLOB    NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (agent_id, code_hash)
);

-- Configuration → Plugins, and the rules of Search & Replace.
CREATE TABLE plugins (
    name       TEXT    PRIMARY KEY,
    active     INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE search_replace_rules (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('card', 'iban', 'regex')),
    pattern     TEXT    NOT NULL DEFAULT '',
    replacement TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
