-- +goose Up
-- API tokens (Profile → API tokens): each acts as its agent on /api/v1.
-- Only the SHA-256 of the secret is kept; prefix is its first characters,
-- shown so people can tell their tokens apart. Times are Unix milliseconds;
-- expires_at NULL is a token that never expires.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    agent_id     INTEGER NOT NULL REFERENCES agents (id),
    name         TEXT    NOT NULL,
    token_hash   BLOB    NOT NULL,
    prefix       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_agent ON api_tokens (agent_id, id);

-- Answers to writes sent with an Idempotency-Key, kept 24 hours: the same
-- key and body from the same token get the first answer again.
CREATE TABLE api_idempotency (
    token_id     INTEGER NOT NULL REFERENCES api_tokens (id),
    key          TEXT    NOT NULL,
    request_hash BLOB    NOT NULL,
    status       INTEGER NOT NULL,
    body         BLOB    NOT NULL,
    content_type TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);
