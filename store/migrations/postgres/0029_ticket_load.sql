-- +goose Up
-- Ticket load (SPEC §6.3, docs/REPORTS.md): per UTC hour the largest and
-- smallest queue (tickets New or Open) and the agents signed in. The same
-- tables and rules as migrations/sqlite/0029_ticket_load.sql, which says why.

ALTER TABLE ticket_firsts ADD COLUMN q_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_firsts ADD COLUMN q_department BIGINT NOT NULL DEFAULT 0;
-- The Tags tab reads the tickets created in its period from here, with
-- the replies each has had (kept by the same trigger).
ALTER TABLE ticket_firsts ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ticket_firsts ADD COLUMN answers BIGINT NOT NULL DEFAULT 0;
CREATE INDEX ticket_firsts_created ON ticket_firsts (created_at);
ALTER TABLE ticket_firsts ADD COLUMN q_agent BIGINT NOT NULL DEFAULT 0;

CREATE TABLE queue_levels (
    department_id BIGINT NOT NULL,
    agent_id      BIGINT NOT NULL,
    channel       TEXT   NOT NULL,
    n             BIGINT NOT NULL,
    PRIMARY KEY (department_id, agent_id, channel)
);

CREATE TABLE queue_hours (
    department_id BIGINT NOT NULL,
    agent_id      BIGINT NOT NULL,
    channel       TEXT   NOT NULL,
    at_hour       BIGINT NOT NULL,
    high          BIGINT NOT NULL,
    low           BIGINT NOT NULL,
    last          BIGINT NOT NULL,
    PRIMARY KEY (department_id, agent_id, channel, at_hour)
);

-- The hour the queue's history starts, when the desk had tickets before it
-- was kept (no row: it was kept from the desk's first ticket on).
CREATE TABLE queue_since (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    at_hour BIGINT NOT NULL
);

CREATE TABLE report_signed_in (
    at_hour  BIGINT NOT NULL,
    agent_id BIGINT NOT NULL,
    PRIMARY KEY (at_hour, agent_id)
);

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
CREATE FUNCTION messages_queue_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    x RECORD;
    level BIGINT;
BEGIN
    FOR x IN SELECT department_id, agent_id, channel, sum(n)::bigint AS n FROM queue_moves WHERE ticket_id = NEW.ticket_id
             GROUP BY department_id, agent_id, channel HAVING sum(n) <> 0 ORDER BY department_id, agent_id, channel LOOP
        INSERT INTO queue_levels AS l (department_id, agent_id, channel, n) VALUES (x.department_id, x.agent_id, x.channel, x.n)
            ON CONFLICT (department_id, agent_id, channel) DO UPDATE SET n = l.n + excluded.n
            RETURNING l.n INTO level;
        INSERT INTO queue_hours AS h (department_id, agent_id, channel, at_hour, high, low, last)
            VALUES (x.department_id, x.agent_id, x.channel, NEW.created_at / 3600000, greatest(level, level - x.n), least(level, level - x.n), level)
            ON CONFLICT (department_id, agent_id, channel, at_hour) DO UPDATE SET
                high = greatest(h.high, excluded.last), low = least(h.low, excluded.last), last = excluded.last;
    END LOOP;
    UPDATE ticket_firsts f SET q_in = CASE WHEN t.status IN ('new', 'open') THEN 1 ELSE 0 END,
            q_department = t.department_id, q_agent = coalesce(t.assignee_id, 0),
            created_at = t.created_at, answers = f.answers + CASE NEW.kind WHEN 'reply' THEN 1 ELSE 0 END
        FROM tickets t WHERE t.id = NEW.ticket_id AND f.ticket_id = NEW.ticket_id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER messages_queue_keep AFTER INSERT ON messages
    FOR EACH ROW EXECUTE FUNCTION messages_queue_keep();

UPDATE ticket_firsts f SET q_in = CASE WHEN t.status IN ('new', 'open') THEN 1 ELSE 0 END,
        q_department = t.department_id, q_agent = coalesce(t.assignee_id, 0), created_at = t.created_at,
        answers = (SELECT count(*) FROM messages m WHERE m.ticket_id = f.ticket_id AND m.kind = 'reply')
    FROM tickets t WHERE t.id = f.ticket_id;
INSERT INTO queue_levels (department_id, agent_id, channel, n)
    SELECT department_id, agent_id, channel, -sum(n) FROM queue_moves WHERE n = -1 GROUP BY department_id, agent_id, channel;
INSERT INTO queue_hours (department_id, agent_id, channel, at_hour, high, low, last)
    SELECT department_id, agent_id, channel, floor(extract(epoch FROM now()) / 3600)::bigint, n, n, n FROM queue_levels;
INSERT INTO queue_since (id, at_hour) SELECT 1, floor(extract(epoch FROM now()) / 3600)::bigint WHERE EXISTS (SELECT 1 FROM tickets);
