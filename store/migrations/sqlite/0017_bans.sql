-- +goose Up
-- Banned IPs (Configuration → Banned IPs) and the address a ticket came
-- from. Times are Unix milliseconds.

-- A ban of one address or a range, kept after it ends or is lifted: the
-- ban history lists every row. network is the canonical CIDR ("192.0.2.7/32",
-- "2001:db8::/32"). A ban holds from created_at until valid_until, or until
-- unbanned_at when it was lifted earlier.
CREATE TABLE bans (
    id          INTEGER PRIMARY KEY,
    network     TEXT    NOT NULL,
    valid_until INTEGER NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    ticket_id   INTEGER REFERENCES tickets (id) ON DELETE SET NULL,
    banned_by   INTEGER REFERENCES agents (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    unbanned_at INTEGER,
    unbanned_by INTEGER REFERENCES agents (id) ON DELETE SET NULL
);
-- The bans that may still hold, read on every change of the list.
CREATE INDEX bans_holding ON bans (valid_until) WHERE unbanned_at IS NULL;

-- The address a ticket was sent from (contact form and customer page), for
-- those who may ban it; no row when it came another way. A table of its own
-- rather than a column: the queue's hot queries read tickets, and only
-- customers' tickets have an address.
CREATE TABLE ticket_senders (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    ip        TEXT    NOT NULL
);

-- The audit log's filters by who and by what, each newest first.
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
