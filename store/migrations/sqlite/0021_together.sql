-- +goose Up
-- Working together (issue 21): merged tickets, who has a ticket open, and
-- agents' notifications. Times are Unix milliseconds.

-- A ticket merged into another keeps its code and becomes a pointer: its
-- messages moved to merged_into, and what arrives for it (email answers,
-- the customer's page) lands there. Pointers are kept one step deep: a
-- ticket merged further takes the tickets merged into it along.
ALTER TABLE tickets ADD COLUMN merged_into INTEGER REFERENCES tickets (id) ON DELETE SET NULL;
CREATE INDEX tickets_merged_into ON tickets (merged_into) WHERE merged_into IS NOT NULL;

-- Who has a ticket page open, and whether they are writing a reply: each
-- open page refreshes its row every few seconds; a row not refreshed for a
-- while is someone who left. In the database, so every instance sees it.
CREATE TABLE ticket_presence (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    agent_id  INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    replying  INTEGER NOT NULL DEFAULT 0,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, agent_id)
) WITHOUT ROWID;

-- What an agent is told about: a ticket assigned to them, a customer's
-- answer on a ticket of theirs, a mention in a note. Read when they open
-- the ticket or mark all as read. Lists read the newest first by agent;
-- the unread ones are few and read by ticket.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    agent_id   INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('assigned', 'customer_reply', 'mention')),
    actor_id   INTEGER REFERENCES agents (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_agent ON notifications (agent_id, id);
CREATE INDEX notifications_unread ON notifications (agent_id, ticket_id) WHERE read_at IS NULL;

-- A contact's card (Contacts): phone, company and the team's notes beside
-- the name and email a ticket brought.
ALTER TABLE contacts ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN company TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN notes TEXT NOT NULL DEFAULT '';

-- A contact's other email addresses (the first stays in contacts.email):
-- mail from any of them finds the contact. Unique across contacts, as the
-- first ones are.
CREATE TABLE contact_emails (
    email      TEXT    PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX contact_emails_contact ON contact_emails (contact_id);
