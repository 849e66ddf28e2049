-- +goose Up
-- My account (SPEC §6.4): the subscription, its seat history, invoices and
-- credit notes, their lines, payments and the overdue marks. Amounts are
-- integer cents; times Unix milliseconds (UTC).

-- The one subscription of the desk, written at sign-up: a 14-day trial.
CREATE TABLE subscription (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    plan            TEXT    NOT NULL,
    cycle           TEXT    NOT NULL,
    -- next_cycle starts at the renewal: a change of cycle waits for it.
    next_cycle      TEXT    NOT NULL,
    trial           INTEGER NOT NULL,
    period_start    INTEGER NOT NULL,
    period_end      INTEGER NOT NULL,
    seats           INTEGER NOT NULL,
    -- seats_charged: the most seats charged for in this period.
    seats_charged   INTEGER NOT NULL,
    -- period_invoiced: what was invoiced for this period; pending: pro-rata
    -- charges of this period waiting for the renewal invoice.
    period_invoiced INTEGER NOT NULL DEFAULT 0,
    pending         INTEGER NOT NULL DEFAULT 0,
    -- credit: overpayments, taken off the next invoice.
    credit          INTEGER NOT NULL DEFAULT 0,
    -- ends_at: the account was stopped and ends then (no renewal).
    ends_at         INTEGER,
    company         TEXT    NOT NULL DEFAULT '',
    address         TEXT    NOT NULL DEFAULT '',
    country         TEXT    NOT NULL DEFAULT '',
    vat_id          TEXT    NOT NULL DEFAULT '',
    billing_email   TEXT    NOT NULL DEFAULT ''
);

-- Desks made before this migration start their trial from their creation.
INSERT INTO subscription (id, plan, cycle, next_cycle, trial, period_start, period_end, seats, seats_charged, company)
SELECT 1, 'medium', 'monthly', 'monthly', 1, created_at, created_at + 14 * 86400000,
       (SELECT count(*) FROM agents WHERE status = 'active' AND removed_at IS NULL),
       (SELECT count(*) FROM agents WHERE status = 'active' AND removed_at IS NULL),
       company_name
FROM account;

CREATE TABLE seat_history (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   INTEGER REFERENCES agents (id),
    agent_id   INTEGER REFERENCES agents (id),
    change     TEXT    NOT NULL,
    seats_from INTEGER NOT NULL,
    seats_to   INTEGER NOT NULL
);
CREATE INDEX seat_history_at ON seat_history (at);

-- The last number given per kind of document: numbers come from here in
-- the transaction that issues, so a rolled-back issue gives its number back
-- and the series has no gaps. A kind's row is written with its first number.
CREATE TABLE invoice_sequences (
    kind TEXT    PRIMARY KEY,
    last INTEGER NOT NULL
);

-- Invoices and credit notes. Buyer and seller are copied at issue, so a
-- later change of the billing information leaves issued ones as they were.
CREATE TABLE invoices (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL,
    seq            INTEGER NOT NULL,
    number         TEXT    NOT NULL UNIQUE,
    corrects_id    INTEGER REFERENCES invoices (id),
    reason         TEXT    NOT NULL,
    issued_at      INTEGER NOT NULL,
    due_at         INTEGER NOT NULL,
    period_start   INTEGER NOT NULL,
    period_end     INTEGER NOT NULL,
    issued_by      INTEGER REFERENCES agents (id),
    buyer_company  TEXT    NOT NULL,
    buyer_address  TEXT    NOT NULL,
    buyer_country  TEXT    NOT NULL,
    buyer_vat_id   TEXT    NOT NULL,
    buyer_email    TEXT    NOT NULL,
    seller_name    TEXT    NOT NULL,
    seller_address TEXT    NOT NULL,
    seller_country TEXT    NOT NULL,
    seller_vat_id  TEXT    NOT NULL,
    net            INTEGER NOT NULL,
    vat_kind       TEXT    NOT NULL,
    vat_rate       INTEGER NOT NULL,
    vat            INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    credit_applied INTEGER NOT NULL,
    amount_due     INTEGER NOT NULL,
    UNIQUE (kind, seq)
);
CREATE INDEX invoices_issued ON invoices (issued_at);

CREATE TABLE invoice_lines (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
    position     INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    plan         TEXT    NOT NULL,
    cycle        TEXT    NOT NULL,
    seats        INTEGER NOT NULL,
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    days         INTEGER NOT NULL,
    period_days  INTEGER NOT NULL,
    unit_price   INTEGER NOT NULL,
    amount       INTEGER NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, position);

-- Overdue marks are kept beside the invoice, which never changes.
CREATE TABLE invoice_overdue (
    invoice_id INTEGER PRIMARY KEY REFERENCES invoices (id),
    marked_at  INTEGER NOT NULL
);

CREATE TABLE payments (
    id          INTEGER PRIMARY KEY,
    invoice_id  INTEGER NOT NULL REFERENCES invoices (id),
    paid_on     TEXT    NOT NULL,
    amount      INTEGER NOT NULL,
    applied     INTEGER NOT NULL,
    to_credit   INTEGER NOT NULL,
    reference   TEXT    NOT NULL,
    recorded_by INTEGER REFERENCES agents (id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX payments_invoice ON payments (invoice_id);

-- An issued invoice or credit note never changes and is never deleted,
-- whoever writes to the database; a correction is a new credit note.
CREATE TRIGGER invoices_never_change BEFORE UPDATE ON invoices
BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes'); END;
CREATE TRIGGER invoices_never_deleted BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes'); END;
CREATE TRIGGER invoice_lines_never_change BEFORE UPDATE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes'); END;
CREATE TRIGGER invoice_lines_never_deleted BEFORE DELETE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes'); END;
