-- +goose Up
-- Tickets, their threads, the full-text index and the kept status counts.
-- Times are Unix milliseconds.

-- The people who write in. One row per email address.
CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX contacts_email ON contacts (email);

-- sort_key orders the queue: New and Open first, then by priority, then by
-- age (oldest first). It is rank << 42 | created_at, where
-- rank = status group * 4 + (3 - priority) and the groups are
-- New/Open 0, Answered 1, Postponed 2, Resolved 3, Spam 4, Deleted 5.
-- One integer keeps every queue ordering a plain index range, so paging by
-- (sort_key, id) never sorts. The store computes it (sortKey in tickets.go).
CREATE TABLE tickets (
    id              INTEGER PRIMARY KEY,
    code            TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('new', 'open', 'answered', 'postponed', 'resolved', 'spam', 'deleted')),
    priority        INTEGER NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 3),
    channel         TEXT    NOT NULL CHECK (channel IN ('email', 'contact_form', 'chat', 'call', 'api')),
    department_id   INTEGER NOT NULL REFERENCES departments (id),
    assignee_id     INTEGER REFERENCES agents (id),
    contact_id      INTEGER NOT NULL REFERENCES contacts (id),
    sort_key        INTEGER NOT NULL,
    -- While postponed: until when, and the status it had (new or open).
    postponed_until INTEGER,
    postponed_from  TEXT    NOT NULL DEFAULT '',
    preview         TEXT    NOT NULL DEFAULT '',
    message_count   INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    updated_by      INTEGER REFERENCES agents (id)
);
CREATE UNIQUE INDEX tickets_code ON tickets (code);
-- Queue indexes: filter columns first, the sort key last.
CREATE INDEX tickets_queue ON tickets (sort_key);
CREATE INDEX tickets_dept_queue ON tickets (department_id, sort_key);
CREATE INDEX tickets_status_queue ON tickets (status, sort_key);
CREATE INDEX tickets_dept_status_queue ON tickets (department_id, status, sort_key);
CREATE INDEX tickets_assignee_queue ON tickets (assignee_id, sort_key);
CREATE INDEX tickets_contact ON tickets (contact_id);
CREATE INDEX tickets_postponed ON tickets (postponed_until) WHERE status = 'postponed';

CREATE TABLE ticket_tags (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    tag       TEXT    NOT NULL,
    PRIMARY KEY (ticket_id, tag)
) WITHOUT ROWID;
CREATE INDEX ticket_tags_tag ON ticket_tags (tag, ticket_id);

-- The thread: customer messages, replies, internal notes and system events.
-- An author is an agent or the contact (customer messages). Events keep
-- what happened in event (a code) and details (JSON).
CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('customer', 'reply', 'note', 'event')),
    agent_id   INTEGER REFERENCES agents (id),
    contact_id INTEGER REFERENCES contacts (id),
    body       TEXT    NOT NULL DEFAULT '',
    event      TEXT    NOT NULL DEFAULT '',
    details    TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_id, id);

-- Full-text search: one document per ticket (rowid = ticket id), its subject
-- and the bodies of its customer messages, replies and notes. Contentless,
-- so the text is not stored twice; contentless_delete lets a ticket's
-- document be replaced when a message arrives (triggers below).
CREATE VIRTUAL TABLE ticket_search USING fts5 (
    subject, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_search (rowid, subject, body) VALUES (new.id, new.subject, '');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN new.kind <> 'event' BEGIN
    DELETE FROM ticket_search WHERE rowid = new.ticket_id;
    INSERT INTO ticket_search (rowid, subject, body)
        SELECT t.id, t.subject,
               (SELECT group_concat(m.body, char(10)) FROM messages m WHERE m.ticket_id = t.id AND m.kind <> 'event')
        FROM tickets t WHERE t.id = new.ticket_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tickets_search_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM ticket_search WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- Tickets per department and status, kept by triggers in the same
-- transaction as every change, so the queue's counts read a few rows
-- instead of counting a million.
CREATE TABLE ticket_counts (
    department_id INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (department_id, status)
) WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_counts (department_id, status, n) VALUES (new.department_id, new.status, 1)
        ON CONFLICT (department_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets BEGIN
    UPDATE ticket_counts SET n = n - 1 WHERE department_id = old.department_id AND status = old.status;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tickets_count_update AFTER UPDATE OF status, department_id ON tickets
    WHEN old.status <> new.status OR old.department_id <> new.department_id BEGIN
    UPDATE ticket_counts SET n = n - 1 WHERE department_id = old.department_id AND status = old.status;
    INSERT INTO ticket_counts (department_id, status, n) VALUES (new.department_id, new.status, 1)
        ON CONFLICT (department_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
