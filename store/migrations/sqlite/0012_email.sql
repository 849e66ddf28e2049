-- +goose Up
-- Email and the customer's ticket page (SPEC §6.2). Times are Unix ms.

-- The customer's private link to a ticket. The token is a long random
-- value kept as it is, not hashed: every email to the customer must carry
-- it again, and it opens no more than the ticket's public thread, which the
-- same database holds in full. Reset customer link replaces it.
-- lang is the language the customer wrote in, for their emails.
CREATE TABLE customer_links (
    ticket_id  INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    token      TEXT    NOT NULL,
    lang       TEXT    NOT NULL DEFAULT 'en',
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX customer_links_token ON customer_links (token);

-- Outgoing mail (SMTP): one row when configured. The password is sealed
-- with the secret "mail-key" (AES-GCM), never stored or shown in clear.
CREATE TABLE mail_settings (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    host         TEXT    NOT NULL,
    port         INTEGER NOT NULL,
    security     TEXT    NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
    username     TEXT    NOT NULL DEFAULT '',
    password     BLOB,
    from_name    TEXT    NOT NULL DEFAULT '',
    from_address TEXT    NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- Mail waiting to go out, written in the transaction of the reply it
-- carries; a worker sends it and keeps trying with back-off.
-- header_id is the email's Message-ID, which answers thread on.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    status     TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,
    last_error TEXT    NOT NULL DEFAULT '',
    header_id  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at    INTEGER
);
CREATE INDEX outbox_due ON outbox (next_at) WHERE status = 'pending';
CREATE INDEX outbox_ticket ON outbox (ticket_id, message_id);
CREATE UNIQUE INDEX outbox_header ON outbox (header_id);

-- Mailboxes (IMAP) the desk reads; each files new tickets into its
-- department. The password is sealed like the SMTP one. The last check's
-- time and result are kept for Channels → Email.
CREATE TABLE mailboxes (
    id                INTEGER PRIMARY KEY,
    department_id     INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    host              TEXT    NOT NULL,
    port              INTEGER NOT NULL,
    security          TEXT    NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
    username          TEXT    NOT NULL,
    password          BLOB,
    folder            TEXT    NOT NULL DEFAULT 'INBOX',
    last_check_at     INTEGER,
    last_check_result TEXT    NOT NULL DEFAULT '',
    last_check_ok     INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL
);

-- Every email the desk took in, by its Message-ID: a message is processed
-- once even when a poll is interrupted before the server forgets it, and
-- answers find their ticket by the ids they refer to. ticket_id is NULL
-- for mail that was ignored (auto-replies, bounces, the desk's own).
CREATE TABLE mail_refs (
    header_id  TEXT    PRIMARY KEY,
    ticket_id  INTEGER REFERENCES tickets (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX mail_refs_ticket ON mail_refs (ticket_id, created_at);

-- Files attached to messages (contact form, customer page, email, reply
-- box). They live in the database, beside what they belong to: a backup
-- (VACUUM INTO) and a move to PostgreSQL carry them with no extra step,
-- and instances sharing a PostgreSQL database share them with no shared
-- disk. The size limit per file keeps rows reasonable.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX attachments_message ON attachments (ticket_id, message_id);
