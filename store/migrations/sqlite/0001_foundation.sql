-- +goose Up
-- Times are Unix milliseconds. Emails are stored lower-cased.

CREATE TABLE agents (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    alias           TEXT    NOT NULL DEFAULT '',
    gender          TEXT    NOT NULL DEFAULT '' CHECK (gender IN ('', 'female', 'male', 'other')),
    role            TEXT    NOT NULL CHECK (role IN ('agent', 'admin', 'owner')),
    status          TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    password_hash   TEXT    NOT NULL DEFAULT '',
    language        TEXT    NOT NULL DEFAULT '',
    last_sign_in_at INTEGER,
    removed_at      INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    updated_by      INTEGER REFERENCES agents (id)
);

-- A removed agent keeps their row (history keeps their name); their email is
-- free for a new account.
CREATE UNIQUE INDEX agents_email_live ON agents (email) WHERE removed_at IS NULL;
CREATE INDEX agents_role_live ON agents (role, status) WHERE removed_at IS NULL;
CREATE INDEX agents_name ON agents (name COLLATE NOCASE, id) WHERE removed_at IS NULL;

-- One row: the account, created by the first sign-up.
CREATE TABLE account (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    company_name TEXT    NOT NULL,
    creator_id   INTEGER NOT NULL REFERENCES agents (id),
    created_at   INTEGER NOT NULL
);

-- Server-side sessions: the cookie carries only the random token; the table
-- keeps its SHA-256, so a copy of the database does not sign anyone in.
CREATE TABLE sessions (
    token_hash   BLOB    PRIMARY KEY,
    agent_id     INTEGER NOT NULL REFERENCES agents (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    remember     INTEGER NOT NULL DEFAULT 0,
    ended_reason TEXT    NOT NULL DEFAULT '',
    ip           TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_agent ON sessions (agent_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES agents (id),
    action      TEXT    NOT NULL,
    target_type TEXT    NOT NULL DEFAULT '',
    target_id   INTEGER,
    details     TEXT    NOT NULL DEFAULT '',
    ip          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);

-- Secrets generated on first run (session and CSRF keys).
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
