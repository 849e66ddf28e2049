-- +goose Up
-- Time rules (SPEC §6.6): what the desk does by itself when a ticket has
-- been in a state for a while. Times are Unix ms.

-- A time rule. position orders them: the minute's run takes them in it.
-- apply_when is its Apply when (automation.TimeKind), after_min the duration
-- in minutes; definition its condition groups and actions as JSON, as for
-- rules. The run has looked at every moment up to checked_until; a rule
-- saved starts there, so it acts on what becomes true from then on.
CREATE TABLE time_rules (
    id            INTEGER PRIMARY KEY,
    position      INTEGER NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    name          TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    apply_when    TEXT    NOT NULL,
    after_min     INTEGER NOT NULL,
    definition    TEXT    NOT NULL,
    checked_until INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- Each moment a time rule's Apply when became true for a ticket, once
-- looked at: the same moment is never acted on twice, and a new moment (the
-- status changed, the due time moved) is a new row.
CREATE TABLE time_rule_hits (
    rule_id   INTEGER NOT NULL REFERENCES time_rules (id) ON DELETE CASCADE,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    moment    INTEGER NOT NULL,
    PRIMARY KEY (rule_id, ticket_id, moment)
) WITHOUT ROWID;
CREATE INDEX time_rule_hits_ticket ON time_rule_hits (ticket_id);

-- What went wrong when a time rule acted on a ticket, shown on its page.
CREATE TABLE time_rule_failures (
    id         INTEGER PRIMARY KEY,
    rule_id    INTEGER NOT NULL REFERENCES time_rules (id) ON DELETE CASCADE,
    ticket_id  INTEGER NOT NULL,
    error      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX time_rule_failures_rule ON time_rule_failures (rule_id, id);

-- When the ticket last changed status (NULL: never since it was created),
-- for Status unchanged for. The index reads a window of it by the moment.
ALTER TABLE tickets ADD COLUMN status_changed_at INTEGER;
CREATE INDEX tickets_status_since ON tickets (coalesce(status_changed_at, created_at));

-- +goose Down
DROP INDEX tickets_status_since;
ALTER TABLE tickets DROP COLUMN status_changed_at;
DROP TABLE time_rule_failures;
DROP TABLE time_rule_hits;
DROP TABLE time_rules;
