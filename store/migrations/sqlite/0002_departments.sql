-- +goose Up
CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES agents (id)
);
CREATE UNIQUE INDEX departments_name ON departments (name COLLATE NOCASE);

-- Which agents work in a department, and on which channels there.
CREATE TABLE department_members (
    department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    agent_id      INTEGER NOT NULL REFERENCES agents (id),
    tickets       INTEGER NOT NULL DEFAULT 1,
    chats         INTEGER NOT NULL DEFAULT 0,
    calls         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (department_id, agent_id)
) WITHOUT ROWID;
CREATE INDEX department_members_agent ON department_members (agent_id, department_id);

-- One-time links to choose a password (new agents, password resets).
CREATE TABLE password_tokens (
    token_hash BLOB    PRIMARY KEY,
    agent_id   INTEGER NOT NULL REFERENCES agents (id),
    created_by INTEGER REFERENCES agents (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX password_tokens_agent ON password_tokens (agent_id);
