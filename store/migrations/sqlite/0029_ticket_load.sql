-- +goose Up
-- Ticket load (SPEC §6.3, docs/REPORTS.md): per UTC hour the largest and
-- smallest queue (tickets New or Open) and the agents signed in.
--
-- A queue size is not a sum: the largest queue of two departments is not the
-- sum of their largest queues. So the queue is kept for every filter a
-- report can ask for: department or all (0), assignee or all (0), channel or
-- all (''): eight keys per ticket (m in queue_moves: md names the
-- department, ma the assignee, only when there is one, mc the channel).

-- Where each ticket was last counted in the queue: the trigger compares it
-- with the ticket now, so a change made of several statements (a transfer
-- clears the assignee) counts once, at the time of its history event.
ALTER TABLE ticket_firsts ADD COLUMN q_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_firsts ADD COLUMN q_department INTEGER NOT NULL DEFAULT 0;
-- The Tags tab reads the tickets created in its period from here, with
-- the replies each has had (kept by the same trigger).
ALTER TABLE ticket_firsts ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_firsts ADD COLUMN answers INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ticket_firsts_created ON ticket_firsts (created_at);
ALTER TABLE ticket_firsts ADD COLUMN q_agent INTEGER NOT NULL DEFAULT 0;

-- The queue now, per key.
CREATE TABLE queue_levels (
    department_id INTEGER NOT NULL,
    agent_id      INTEGER NOT NULL,
    channel       TEXT    NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (department_id, agent_id, channel)
) WITHOUT ROWID;

-- Per key, a row for each UTC hour the queue changed in: its largest and
-- smallest size during the hour (counting the size it started the hour
-- with) and the size it ended the hour with. An hour without a row kept the
-- size the last row ended with.
CREATE TABLE queue_hours (
    department_id INTEGER NOT NULL,
    agent_id      INTEGER NOT NULL,
    channel       TEXT    NOT NULL,
    at_hour       INTEGER NOT NULL,
    high          INTEGER NOT NULL,
    low           INTEGER NOT NULL,
    last          INTEGER NOT NULL,
    PRIMARY KEY (department_id, agent_id, channel, at_hour)
) WITHOUT ROWID;

-- The hours an agent was signed in (store/reports_load.go writes them with
-- each sign-in and each use of a session).
-- The hour the queue's history starts, when the desk had tickets before it
-- was kept (no row: it was kept from the desk's first ticket on).
CREATE TABLE queue_since (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    at_hour INTEGER NOT NULL
);

CREATE TABLE report_signed_in (
    at_hour  INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    PRIMARY KEY (at_hour, agent_id)
) WITHOUT ROWID;

-- The ticket's keys as last counted (-1) and now (+1); a key whose sum is
-- not 0 changed. Every change of status, department or assignee writes an
-- event to the thread, and a new ticket its first message.
CREATE VIEW queue_moves AS
    SELECT f.ticket_id, CASE m.md WHEN 1 THEN f.q_department ELSE 0 END AS department_id,
           CASE m.ma WHEN 1 THEN f.q_agent ELSE 0 END AS agent_id, CASE m.mc WHEN 1 THEN f.channel ELSE '' END AS channel, -1 AS n
    FROM ticket_firsts f, (SELECT 0 AS md, 0 AS ma, 0 AS mc UNION ALL SELECT 0, 0, 1 UNION ALL SELECT 0, 1, 0 UNION ALL SELECT 0, 1, 1
          UNION ALL SELECT 1, 0, 0 UNION ALL SELECT 1, 0, 1 UNION ALL SELECT 1, 1, 0 UNION ALL SELECT 1, 1, 1) m WHERE f.q_in = 1 AND (m.ma = 0 OR f.q_agent <> 0)
    UNION ALL
    SELECT t.id, CASE m.md WHEN 1 THEN t.department_id ELSE 0 END,
           CASE m.ma WHEN 1 THEN coalesce(t.assignee_id, 0) ELSE 0 END, CASE m.mc WHEN 1 THEN t.channel ELSE '' END, 1
    FROM tickets t, (SELECT 0 AS md, 0 AS ma, 0 AS mc UNION ALL SELECT 0, 0, 1 UNION ALL SELECT 0, 1, 0 UNION ALL SELECT 0, 1, 1
          UNION ALL SELECT 1, 0, 0 UNION ALL SELECT 1, 0, 1 UNION ALL SELECT 1, 1, 0 UNION ALL SELECT 1, 1, 1) m WHERE t.status IN ('new', 'open') AND (m.ma = 0 OR t.assignee_id IS NOT NULL);

-- +goose StatementBegin
CREATE TRIGGER messages_queue_keep AFTER INSERT ON messages BEGIN
    INSERT INTO queue_levels (department_id, agent_id, channel, n)
        SELECT department_id, agent_id, channel, sum(n) FROM queue_moves WHERE ticket_id = new.ticket_id
        GROUP BY department_id, agent_id, channel HAVING sum(n) <> 0
        ON CONFLICT (department_id, agent_id, channel) DO UPDATE SET n = n + excluded.n;
    INSERT INTO queue_hours (department_id, agent_id, channel, at_hour, high, low, last)
        SELECT x.department_id, x.agent_id, x.channel, new.created_at / 3600000, max(l.n, l.n - x.n), min(l.n, l.n - x.n), l.n
        FROM (SELECT department_id, agent_id, channel, sum(n) AS n FROM queue_moves WHERE ticket_id = new.ticket_id
              GROUP BY department_id, agent_id, channel HAVING sum(n) <> 0) x
        JOIN queue_levels l ON l.department_id = x.department_id AND l.agent_id = x.agent_id AND l.channel = x.channel
        WHERE true
        ON CONFLICT (department_id, agent_id, channel, at_hour) DO UPDATE SET
            high = max(high, excluded.last), low = min(low, excluded.last), last = excluded.last;
    UPDATE ticket_firsts SET
        q_in = (SELECT CASE WHEN status IN ('new', 'open') THEN 1 ELSE 0 END FROM tickets WHERE id = new.ticket_id),
        q_department = (SELECT department_id FROM tickets WHERE id = new.ticket_id),
        q_agent = (SELECT coalesce(assignee_id, 0) FROM tickets WHERE id = new.ticket_id),
        created_at = (SELECT created_at FROM tickets WHERE id = new.ticket_id),
        answers = answers + CASE new.kind WHEN 'reply' THEN 1 ELSE 0 END
        WHERE ticket_id = new.ticket_id;
END;
-- +goose StatementEnd

-- The desk so far: the queue now; its history starts here.
UPDATE ticket_firsts SET
    q_in = (SELECT CASE WHEN status IN ('new', 'open') THEN 1 ELSE 0 END FROM tickets WHERE id = ticket_firsts.ticket_id),
    q_department = (SELECT department_id FROM tickets WHERE id = ticket_firsts.ticket_id),
    q_agent = (SELECT coalesce(assignee_id, 0) FROM tickets WHERE id = ticket_firsts.ticket_id),
    created_at = (SELECT created_at FROM tickets WHERE id = ticket_firsts.ticket_id),
    answers = (SELECT count(*) FROM messages WHERE ticket_id = ticket_firsts.ticket_id AND kind = 'reply');
INSERT INTO queue_levels (department_id, agent_id, channel, n)
    SELECT department_id, agent_id, channel, sum(n) FROM queue_moves WHERE n = -1 GROUP BY department_id, agent_id, channel;
UPDATE queue_levels SET n = -n;
INSERT INTO queue_hours (department_id, agent_id, channel, at_hour, high, low, last)
    SELECT department_id, agent_id, channel, CAST(unixepoch('now') / 3600 AS INTEGER), n, n, n FROM queue_levels;
INSERT INTO queue_since (id, at_hour) SELECT 1, CAST(unixepoch('now') / 3600 AS INTEGER) WHERE EXISTS (SELECT 1 FROM tickets);
