-- +goose Up
-- Ticket fields (Configuration → Ticket fields), their values on tickets,
-- and the queue's saved views. Times are Unix milliseconds.

-- A field the desk asks of its tickets. Options: a Dropdown's choices, one
-- per line. Position orders the fields on the ticket page and the contact
-- form. Codes are for the API, unique in any letter case.
CREATE TABLE ticket_fields (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    code            TEXT    NOT NULL,
    type            TEXT    NOT NULL CHECK (type IN ('text', 'long_text', 'number', 'date', 'dropdown', 'checkbox')),
    options         TEXT    NOT NULL DEFAULT '',
    required        INTEGER NOT NULL DEFAULT 0,
    on_contact_form INTEGER NOT NULL DEFAULT 0,
    position        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX ticket_fields_code ON ticket_fields (code COLLATE NOCASE);

-- A ticket's value of a field: only set values have a row (an unticked
-- Checkbox has none). The primary key answers "has this ticket this value"
-- while the queue walks its own index; ticket_field_values_value reads a
-- rare value's tickets directly, as ticket_tags_tag does for a rare tag.
CREATE TABLE ticket_field_values (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    field_id  INTEGER NOT NULL REFERENCES ticket_fields (id) ON DELETE CASCADE,
    value     TEXT    NOT NULL,
    PRIMARY KEY (ticket_id, field_id)
) WITHOUT ROWID;
CREATE INDEX ticket_field_values_value ON ticket_field_values (field_id, value, ticket_id);

-- A saved view of the queue: its filters as the queue's URL query. A
-- personal view belongs to its agent; a shared one (agent_id NULL) to the
-- desk. Names are unique within a scope in any letter case: name_key is the
-- name case-folded by the store (Unicode's folding, so "Żółw" and "żółw"
-- are one name on both engines, which SQLite's NOCASE would not see).
CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY,
    agent_id   INTEGER REFERENCES agents (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL,
    query      TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX saved_views_name ON saved_views (coalesce(agent_id, 0), name_key);
