-- +goose Up
-- SQLite's 0021_together.sql in PostgreSQL's SQL: merged tickets and who
-- has a ticket open.
ALTER TABLE tickets ADD COLUMN merged_into BIGINT REFERENCES tickets (id) ON DELETE SET NULL;
CREATE INDEX tickets_merged_into ON tickets (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE ticket_presence (
    ticket_id BIGINT  NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    agent_id  BIGINT  NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    replying  INTEGER NOT NULL DEFAULT 0,
    seen_at   BIGINT  NOT NULL,
    PRIMARY KEY (ticket_id, agent_id)
);
