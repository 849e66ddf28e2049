-- +goose Up
-- Reports read kept figures, never the tickets: what happened to each ticket
-- the first time (ticket_firsts) and the figures per UTC hour, department,
-- agent and channel (report_hours), both kept by triggers in the same
-- transaction as every change, like ticket_counts. A report over a year
-- reads at most hours x groups rows, whatever the number of tickets.
--
-- Hours are UTC (Unix ms / 3600000): the desk's time zone can change without
-- recounting anything, and every zone a whole number of hours from UTC cuts
-- its days exactly along them.
--
-- Every figure of a ticket counts under its department now, and only while
-- the ticket is neither Spam nor Deleted: a transfer moves its figures, and
-- marking it Spam or Deleted takes them out (putting it back returns them),
-- so a report's count equals the count of the queue it links to, which
-- leaves Spam and Deleted out too. The agent is the one each figure is about: who logged the
-- ticket (0: the customer), who sent the first reply, to whom it was first
-- assigned, who first resolved it, who wrote each reply or note.

CREATE TABLE ticket_firsts (
    ticket_id        INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    created_by       INTEGER NOT NULL DEFAULT 0,
    first_reply_at   INTEGER,
    first_reply_by   INTEGER NOT NULL DEFAULT 0,
    first_assign_at  INTEGER,
    first_assign_to  INTEGER NOT NULL DEFAULT 0,
    first_resolve_at INTEGER,
    first_resolve_by INTEGER NOT NULL DEFAULT 0,
    -- Copied from the ticket (and kept by the triggers below), so the
    -- percentiles read the period's first answers from this table alone.
    first_reply_ms   INTEGER,
    department_id    INTEGER NOT NULL,
    channel          TEXT    NOT NULL,
    hidden           INTEGER NOT NULL DEFAULT 0 -- Spam or Deleted
);
-- The percentiles read the period's first answers from here, in order.
CREATE INDEX ticket_firsts_reply ON ticket_firsts (first_reply_at, first_reply_by, first_reply_ms) WHERE first_reply_at IS NOT NULL;
CREATE INDEX ticket_firsts_resolve ON ticket_firsts (first_resolve_at) WHERE first_resolve_at IS NOT NULL;

CREATE TABLE report_hours (
    at_hour       INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    agent_id      INTEGER NOT NULL,
    channel       TEXT    NOT NULL,
    created       INTEGER NOT NULL DEFAULT 0,
    replied       INTEGER NOT NULL DEFAULT 0, -- tickets first answered
    reply_ms      INTEGER NOT NULL DEFAULT 0, -- their creation-to-first-reply times, summed
    assigned      INTEGER NOT NULL DEFAULT 0,
    assign_ms     INTEGER NOT NULL DEFAULT 0,
    resolved      INTEGER NOT NULL DEFAULT 0, -- tickets resolved the first time
    resolve_ms    INTEGER NOT NULL DEFAULT 0,
    answers       INTEGER NOT NULL DEFAULT 0,
    notes         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (at_hour, department_id, agent_id, channel)
) WITHOUT ROWID;
CREATE INDEX report_hours_agent ON report_hours (agent_id, at_hour);

-- Export tickets and the queue's "created between" read a period's tickets
-- by their creation time.
CREATE INDEX tickets_created ON tickets (created_at);

-- Every figure of every ticket, one row each, with the ticket's status: what
-- report_hours sums over the tickets neither Spam nor Deleted. The triggers
-- below move one ticket's rows; a bulk load and the tests sum them all.
CREATE VIEW report_parts AS
    SELECT t.id AS ticket_id, t.status, t.created_at / 3600000 AS at_hour, t.department_id, f.created_by AS agent_id, t.channel,
           1 AS created, 0 AS replied, 0 AS reply_ms, 0 AS assigned, 0 AS assign_ms, 0 AS resolved, 0 AS resolve_ms, 0 AS answers, 0 AS notes
    FROM tickets t JOIN ticket_firsts f ON f.ticket_id = t.id
    UNION ALL
    SELECT t.id, t.status, f.first_reply_at / 3600000, t.department_id, f.first_reply_by, t.channel,
           0, 1, f.first_reply_at - t.created_at, 0, 0, 0, 0, 0, 0
    FROM tickets t JOIN ticket_firsts f ON f.ticket_id = t.id WHERE f.first_reply_at IS NOT NULL
    UNION ALL
    SELECT t.id, t.status, f.first_assign_at / 3600000, t.department_id, f.first_assign_to, t.channel,
           0, 0, 0, 1, f.first_assign_at - t.created_at, 0, 0, 0, 0
    FROM tickets t JOIN ticket_firsts f ON f.ticket_id = t.id WHERE f.first_assign_at IS NOT NULL
    UNION ALL
    SELECT t.id, t.status, f.first_resolve_at / 3600000, t.department_id, f.first_resolve_by, t.channel,
           0, 0, 0, 0, 0, 1, f.first_resolve_at - t.created_at, 0, 0
    FROM tickets t JOIN ticket_firsts f ON f.ticket_id = t.id WHERE f.first_resolve_at IS NOT NULL
    UNION ALL
    SELECT t.id, t.status, m.created_at / 3600000, t.department_id, coalesce(m.agent_id, 0), t.channel,
           0, 0, 0, 0, 0, 0, 0, CASE m.kind WHEN 'reply' THEN 1 ELSE 0 END, CASE m.kind WHEN 'note' THEN 1 ELSE 0 END
    FROM tickets t JOIN messages m ON m.ticket_id = t.id WHERE m.kind IN ('reply', 'note');

-- +goose StatementBegin
CREATE TRIGGER tickets_report_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_firsts (ticket_id, department_id, channel, hidden) VALUES (new.id, new.department_id, new.channel, CASE WHEN new.status IN ('spam', 'deleted') THEN 1 ELSE 0 END);
    INSERT INTO report_hours (at_hour, department_id, agent_id, channel, created)
        SELECT new.created_at / 3600000, new.department_id, 0, new.channel, 1 WHERE new.status NOT IN ('spam', 'deleted')
        ON CONFLICT (at_hour, department_id, agent_id, channel) DO UPDATE SET created = created + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tickets_report_transfer AFTER UPDATE OF department_id ON tickets
    WHEN old.department_id <> new.department_id BEGIN
    UPDATE ticket_firsts SET department_id = new.department_id WHERE ticket_id = new.id;
    INSERT INTO report_hours (at_hour, department_id, agent_id, channel, created, replied, reply_ms, assigned, assign_ms, resolved, resolve_ms, answers, notes)
        SELECT at_hour, d.id, agent_id, channel,
               d.sign * sum(created), d.sign * sum(replied), d.sign * sum(reply_ms), d.sign * sum(assigned), d.sign * sum(assign_ms),
               d.sign * sum(resolved), d.sign * sum(resolve_ms), d.sign * sum(answers), d.sign * sum(notes)
        FROM report_parts p, (SELECT old.department_id AS id, -1 AS sign UNION ALL SELECT new.department_id, 1) d
        WHERE p.ticket_id = new.id AND p.status NOT IN ('spam', 'deleted') GROUP BY at_hour, d.id, d.sign, agent_id, channel
        ON CONFLICT (at_hour, department_id, agent_id, channel) DO UPDATE SET
            created = created + excluded.created, replied = replied + excluded.replied, reply_ms = reply_ms + excluded.reply_ms,
            assigned = assigned + excluded.assigned, assign_ms = assign_ms + excluded.assign_ms,
            resolved = resolved + excluded.resolved, resolve_ms = resolve_ms + excluded.resolve_ms,
            answers = answers + excluded.answers, notes = notes + excluded.notes;
END;
-- +goose StatementEnd

-- Marked Spam or Deleted, a ticket's figures leave the reports; put back,
-- they return. (No statement changes a ticket's status and department at
-- once, so this and the transfer never fire together.)
-- +goose StatementBegin
CREATE TRIGGER tickets_report_hidden AFTER UPDATE OF status ON tickets
    WHEN (old.status IN ('spam', 'deleted')) <> (new.status IN ('spam', 'deleted')) BEGIN
    UPDATE ticket_firsts SET hidden = CASE WHEN new.status IN ('spam', 'deleted') THEN 1 ELSE 0 END WHERE ticket_id = new.id;
    INSERT INTO report_hours (at_hour, department_id, agent_id, channel, created, replied, reply_ms, assigned, assign_ms, resolved, resolve_ms, answers, notes)
        SELECT at_hour, department_id, agent_id, channel,
               d.sign * sum(created), d.sign * sum(replied), d.sign * sum(reply_ms), d.sign * sum(assigned), d.sign * sum(assign_ms),
               d.sign * sum(resolved), d.sign * sum(resolve_ms), d.sign * sum(answers), d.sign * sum(notes)
        FROM report_parts p, (SELECT CASE WHEN new.status IN ('spam', 'deleted') THEN -1 ELSE 1 END AS sign) d
        WHERE p.ticket_id = new.id GROUP BY at_hour, department_id, agent_id, channel
        ON CONFLICT (at_hour, department_id, agent_id, channel) DO UPDATE SET
            created = created + excluded.created, replied = replied + excluded.replied, reply_ms = reply_ms + excluded.reply_ms,
            assigned = assigned + excluded.assigned, assign_ms = assign_ms + excluded.assign_ms,
            resolved = resolved + excluded.resolved, resolve_ms = resolve_ms + excluded.resolve_ms,
            answers = answers + excluded.answers, notes = notes + excluded.notes;
END;
-- +goose StatementEnd

-- A ticket logged by an agent (a call, a chat) counts as theirs.
-- +goose StatementBegin
CREATE TRIGGER messages_report_created AFTER INSERT ON messages
    WHEN new.event = 'created' AND new.agent_id IS NOT NULL BEGIN
    INSERT INTO report_hours (at_hour, department_id, agent_id, channel, created)
        SELECT t.created_at / 3600000, t.department_id, a.agent_id, t.channel, a.n
        FROM tickets t JOIN ticket_firsts f ON f.ticket_id = t.id,
             (SELECT 0 AS agent_id, -1 AS n UNION ALL SELECT new.agent_id, 1) a
        WHERE t.id = new.ticket_id AND f.created_by = 0 AND t.status NOT IN ('spam', 'deleted')
        ON CONFLICT (at_hour, department_id, agent_id, channel) DO UPDATE SET created = created + excluded.created;
    UPDATE ticket_firsts SET created_by = new.agent_id WHERE ticket_id = new.ticket_id AND created_by = 0;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER messages_report_written AFTER INSERT ON messages
    WHEN new.kind IN ('reply', 'note') BEGIN
    INSERT INTO report_hours (at_hour, department_id, agent_id, channel, answers, notes)
        SELECT new.created_at / 3600000, t.department_id, coalesce(new.agent_id, 0), t.channel,
               new.kind = 'reply', new.kind = 'note'
        FROM tickets t WHERE t.id = new.ticket_id AND t.status NOT IN ('spam', 'deleted')
        ON CONFLICT (at_hour, department_id, agent_id, channel) DO UPDATE SET
            answers = answers + excluded.answers, notes = notes + excluded.notes;
    INSERT INTO report_hours (at_hour, department_id, agent_id, channel, replied, reply_ms)
        SELECT new.created_at / 3600000, t.department_id, coalesce(new.agent_id, 0), t.channel, 1, new.created_at - t.created_at
        FROM tickets t JOIN ticket_firsts f ON f.ticket_id = t.id
        WHERE t.id = new.ticket_id AND new.kind = 'reply' AND f.first_reply_at IS NULL AND t.status NOT IN ('spam', 'deleted')
        ON CONFLICT (at_hour, department_id, agent_id, channel) DO UPDATE SET
            replied = replied + 1, reply_ms = reply_ms + excluded.reply_ms;
    UPDATE ticket_firsts SET first_reply_at = new.created_at, first_reply_by = coalesce(new.agent_id, 0),
            first_reply_ms = new.created_at - (SELECT created_at FROM tickets WHERE id = new.ticket_id)
        WHERE ticket_id = new.ticket_id AND new.kind = 'reply' AND first_reply_at IS NULL;
END;
-- +goose StatementEnd

-- Assigned: the event follows the change of assignee, so the ticket names
-- whom (an unassignment has no name).
-- +goose StatementBegin
CREATE TRIGGER messages_report_assigned AFTER INSERT ON messages
    WHEN new.event = 'assigned' AND new.details LIKE '%"name":%' BEGIN
    INSERT INTO report_hours (at_hour, department_id, agent_id, channel, assigned, assign_ms)
        SELECT new.created_at / 3600000, t.department_id, coalesce(t.assignee_id, 0), t.channel, 1, new.created_at - t.created_at
        FROM tickets t JOIN ticket_firsts f ON f.ticket_id = t.id
        WHERE t.id = new.ticket_id AND f.first_assign_at IS NULL AND t.status NOT IN ('spam', 'deleted')
        ON CONFLICT (at_hour, department_id, agent_id, channel) DO UPDATE SET
            assigned = assigned + 1, assign_ms = assign_ms + excluded.assign_ms;
    UPDATE ticket_firsts SET first_assign_at = new.created_at,
            first_assign_to = coalesce((SELECT assignee_id FROM tickets WHERE id = new.ticket_id), 0)
        WHERE ticket_id = new.ticket_id AND first_assign_at IS NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER messages_report_resolved AFTER INSERT ON messages
    WHEN new.event = 'status' AND new.details LIKE '%"to":"resolved"%' BEGIN
    INSERT INTO report_hours (at_hour, department_id, agent_id, channel, resolved, resolve_ms)
        SELECT new.created_at / 3600000, t.department_id, coalesce(new.agent_id, 0), t.channel, 1, new.created_at - t.created_at
        FROM tickets t JOIN ticket_firsts f ON f.ticket_id = t.id
        WHERE t.id = new.ticket_id AND f.first_resolve_at IS NULL AND t.status NOT IN ('spam', 'deleted')
        ON CONFLICT (at_hour, department_id, agent_id, channel) DO UPDATE SET
            resolved = resolved + 1, resolve_ms = resolve_ms + excluded.resolve_ms;
    UPDATE ticket_firsts SET first_resolve_at = new.created_at, first_resolve_by = coalesce(new.agent_id, 0)
        WHERE ticket_id = new.ticket_id AND first_resolve_at IS NULL;
END;
-- +goose StatementEnd

-- The desk's history so far (store/reports_rebuild.go says the same).
DELETE FROM ticket_firsts;
INSERT INTO ticket_firsts (ticket_id, created_by, first_reply_at, first_reply_by, first_assign_at, first_assign_to, first_resolve_at, first_resolve_by,
        first_reply_ms, department_id, channel, hidden)
    SELECT t.id, coalesce(c.agent_id, 0), r.created_at, coalesce(r.agent_id, 0),
           a.created_at, CASE WHEN a.id IS NULL THEN 0 ELSE coalesce(t.assignee_id, 0) END,
           s.created_at, coalesce(s.agent_id, 0),
           r.created_at - t.created_at, t.department_id, t.channel, CASE WHEN t.status IN ('spam', 'deleted') THEN 1 ELSE 0 END
    FROM tickets t
    LEFT JOIN (SELECT ticket_id,
                      min(CASE WHEN event = 'created' THEN id END) AS c,
                      min(CASE WHEN kind = 'reply' THEN id END) AS r,
                      min(CASE WHEN event = 'assigned' AND details LIKE '%"name":%' THEN id END) AS a,
                      min(CASE WHEN event = 'status' AND details LIKE '%"to":"resolved"%' THEN id END) AS s
               FROM messages WHERE kind = 'reply' OR event IN ('created', 'assigned', 'status')
               GROUP BY ticket_id) f ON f.ticket_id = t.id
    LEFT JOIN messages c ON c.id = f.c
    LEFT JOIN messages r ON r.id = f.r
    LEFT JOIN messages a ON a.id = f.a
    LEFT JOIN messages s ON s.id = f.s;
DELETE FROM report_hours;
INSERT INTO report_hours (at_hour, department_id, agent_id, channel, created, replied, reply_ms, assigned, assign_ms, resolved, resolve_ms, answers, notes)
    SELECT at_hour, department_id, agent_id, channel, sum(created), sum(replied), sum(reply_ms), sum(assigned), sum(assign_ms),
           sum(resolved), sum(resolve_ms), sum(answers), sum(notes)
    FROM report_parts WHERE status NOT IN ('spam', 'deleted') GROUP BY at_hour, department_id, agent_id, channel;
