-- +goose Up
-- Webhooks (SPEC §6.8): receivers of the desk's events, and the deliveries
-- waiting for them or sent. Times are Unix ms.

-- A receiver. events is the list of events it wants, comma-separated in
-- the order of store.WebhookEvents. The signing secret is sealed with the
-- secret "mail-key" (AES-GCM), as the mail passwords are.
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY,
    url        TEXT    NOT NULL,
    events     TEXT    NOT NULL,
    secret     BLOB    NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One event for one receiver, written in the transaction of the change it
-- tells of; the outbox worker sends it and keeps trying with back-off.
-- payload is the JSON body as it was at the time of the change; event_id
-- stays the same when it is delivered again, so a receiver can tell a
-- repeat. Deliveries of one ticket to one receiver go in id order.
CREATE TABLE webhook_deliveries (
    id            INTEGER PRIMARY KEY,
    webhook_id    INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    ticket_id     INTEGER NOT NULL,
    event         TEXT    NOT NULL,
    event_id      TEXT    NOT NULL,
    payload       TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       INTEGER NOT NULL,
    status_code   INTEGER NOT NULL DEFAULT 0,
    response      TEXT    NOT NULL DEFAULT '',
    last_error    TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    attempted_at  INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_ticket ON webhook_deliveries (webhook_id, ticket_id, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_list ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (webhook_id) WHERE status = 'failed';
-- Sent and given-up deliveries are kept a while for the list, then purged.
CREATE INDEX webhook_deliveries_done ON webhook_deliveries (attempted_at) WHERE status <> 'pending';
