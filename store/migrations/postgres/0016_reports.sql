-- +goose Up
-- SQLite's 0016_reports.sql in PostgreSQL's SQL (its comments say why).
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
    ticket_id        BIGINT PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    created_by       BIGINT NOT NULL DEFAULT 0,
    first_reply_at   BIGINT,
    first_reply_by   BIGINT NOT NULL DEFAULT 0,
    first_assign_at  BIGINT,
    first_assign_to  BIGINT NOT NULL DEFAULT 0,
    first_resolve_at BIGINT,
    first_resolve_by BIGINT NOT NULL DEFAULT 0,
    -- Copied from the ticket (and kept by the triggers below), so the
    -- percentiles read the period's first answers from this table alone.
    first_reply_ms   BIGINT,
    department_id    BIGINT NOT NULL,
    channel          TEXT    NOT NULL,
    hidden           INTEGER NOT NULL DEFAULT 0 -- Spam or Deleted
);
-- The percentiles read the period's first answers from here, in order.
CREATE INDEX ticket_firsts_reply ON ticket_firsts (first_reply_at, first_reply_by, first_reply_ms) WHERE first_reply_at IS NOT NULL;
CREATE INDEX ticket_firsts_resolve ON ticket_firsts (first_resolve_at) WHERE first_resolve_at IS NOT NULL;

CREATE TABLE report_hours (
    at_hour       BIGINT NOT NULL,
    department_id BIGINT NOT NULL,
    agent_id      BIGINT NOT NULL,
    channel       TEXT    NOT NULL,
    created       BIGINT NOT NULL DEFAULT 0,
    replied       BIGINT NOT NULL DEFAULT 0, -- tickets first answered
    reply_ms      BIGINT NOT NULL DEFAULT 0, -- their creation-to-first-reply times, summed
    assigned      BIGINT NOT NULL DEFAULT 0,
    assign_ms     BIGINT NOT NULL DEFAULT 0,
    resolved      BIGINT NOT NULL DEFAULT 0, -- tickets resolved the first time
    resolve_ms    BIGINT NOT NULL DEFAULT 0,
    answers       BIGINT NOT NULL DEFAULT 0,
    notes         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (at_hour, department_id, agent_id, channel)
);
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
CREATE FUNCTION report_add(h BIGINT, d BIGINT, a BIGINT, ch TEXT, k_created BIGINT, k_replied BIGINT, k_reply_ms BIGINT,
        k_assigned BIGINT, k_assign_ms BIGINT, k_resolved BIGINT, k_resolve_ms BIGINT, k_answers BIGINT, k_notes BIGINT)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO report_hours (at_hour, department_id, agent_id, channel, created, replied, reply_ms, assigned, assign_ms, resolved, resolve_ms, answers, notes)
        VALUES (h, d, a, ch, k_created, k_replied, k_reply_ms, k_assigned, k_assign_ms, k_resolved, k_resolve_ms, k_answers, k_notes)
        ON CONFLICT (at_hour, department_id, agent_id, channel) DO UPDATE SET
            created = report_hours.created + excluded.created, replied = report_hours.replied + excluded.replied,
            reply_ms = report_hours.reply_ms + excluded.reply_ms, assigned = report_hours.assigned + excluded.assigned,
            assign_ms = report_hours.assign_ms + excluded.assign_ms, resolved = report_hours.resolved + excluded.resolved,
            resolve_ms = report_hours.resolve_ms + excluded.resolve_ms, answers = report_hours.answers + excluded.answers,
            notes = report_hours.notes + excluded.notes;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_add_if(shown BOOLEAN, h BIGINT, d BIGINT, a BIGINT, ch TEXT, k_created BIGINT, k_replied BIGINT, k_reply_ms BIGINT,
        k_assigned BIGINT, k_assign_ms BIGINT, k_resolved BIGINT, k_resolve_ms BIGINT, k_answers BIGINT, k_notes BIGINT)
    RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF shown THEN
        PERFORM report_add(h, d, a, ch, k_created, k_replied, k_reply_ms, k_assigned, k_assign_ms, k_resolved, k_resolve_ms, k_answers, k_notes);
    END IF;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION tickets_report() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p RECORD;
    sign BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ticket_firsts (ticket_id, department_id, channel, hidden)
            VALUES (NEW.id, NEW.department_id, NEW.channel, CASE WHEN NEW.status IN ('spam', 'deleted') THEN 1 ELSE 0 END);
        IF NEW.status NOT IN ('spam', 'deleted') THEN
            PERFORM report_add(NEW.created_at / 3600000, NEW.department_id, 0, NEW.channel, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        END IF;
        RETURN NULL;
    END IF;
    UPDATE ticket_firsts SET department_id = NEW.department_id, hidden = CASE WHEN NEW.status IN ('spam', 'deleted') THEN 1 ELSE 0 END WHERE ticket_id = NEW.id;
    IF (OLD.status IN ('spam', 'deleted')) <> (NEW.status IN ('spam', 'deleted')) THEN
        -- Marked Spam or Deleted, the figures leave; put back, they return.
        sign := CASE WHEN NEW.status IN ('spam', 'deleted') THEN -1 ELSE 1 END;
        FOR p IN SELECT at_hour, agent_id, channel, sum(created)::bigint AS created, sum(replied)::bigint AS replied, sum(reply_ms)::bigint AS reply_ms,
                        sum(assigned)::bigint AS assigned, sum(assign_ms)::bigint AS assign_ms, sum(resolved)::bigint AS resolved,
                        sum(resolve_ms)::bigint AS resolve_ms, sum(answers)::bigint AS answers, sum(notes)::bigint AS notes
                 FROM report_parts WHERE ticket_id = NEW.id GROUP BY at_hour, agent_id, channel ORDER BY at_hour, agent_id, channel LOOP
            PERFORM report_add(p.at_hour, CASE WHEN sign < 0 THEN OLD.department_id ELSE NEW.department_id END,
                p.agent_id, p.channel, sign * p.created, sign * p.replied, sign * p.reply_ms,
                sign * p.assigned, sign * p.assign_ms, sign * p.resolved, sign * p.resolve_ms, sign * p.answers, sign * p.notes);
        END LOOP;
        RETURN NULL;
    END IF;
    IF NEW.status IN ('spam', 'deleted') OR OLD.department_id = NEW.department_id THEN
        RETURN NULL;
    END IF;
    -- A transfer: the ticket's figures move to its new department.
    FOR p IN SELECT at_hour, agent_id, channel, sum(created)::bigint AS created, sum(replied)::bigint AS replied, sum(reply_ms)::bigint AS reply_ms,
                    sum(assigned)::bigint AS assigned, sum(assign_ms)::bigint AS assign_ms, sum(resolved)::bigint AS resolved, sum(resolve_ms)::bigint AS resolve_ms,
                    sum(answers)::bigint AS answers, sum(notes)::bigint AS notes
             FROM report_parts WHERE ticket_id = NEW.id GROUP BY at_hour, agent_id, channel ORDER BY at_hour, agent_id, channel LOOP
        PERFORM report_add(p.at_hour, OLD.department_id, p.agent_id, p.channel, -p.created, -p.replied, -p.reply_ms,
            -p.assigned, -p.assign_ms, -p.resolved, -p.resolve_ms, -p.answers, -p.notes);
        PERFORM report_add(p.at_hour, NEW.department_id, p.agent_id, p.channel, p.created, p.replied, p.reply_ms,
            p.assigned, p.assign_ms, p.resolved, p.resolve_ms, p.answers, p.notes);
    END LOOP;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER tickets_report_insert AFTER INSERT ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_report();
CREATE TRIGGER tickets_report_change AFTER UPDATE OF department_id, status ON tickets
    FOR EACH ROW WHEN (OLD.department_id <> NEW.department_id
        OR (OLD.status IN ('spam', 'deleted')) <> (NEW.status IN ('spam', 'deleted')))
    EXECUTE FUNCTION tickets_report();

-- +goose StatementBegin
CREATE FUNCTION messages_report() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    t RECORD;
    f RECORD;
    h BIGINT := NEW.created_at / 3600000;
    a BIGINT := coalesce(NEW.agent_id, 0);
    shown BOOLEAN;
BEGIN
    SELECT tk.created_at, tk.status, tk.department_id, tk.channel, coalesce(tk.assignee_id, 0) AS assignee_id INTO t FROM tickets tk WHERE tk.id = NEW.ticket_id;
    SELECT * INTO f FROM ticket_firsts WHERE ticket_id = NEW.ticket_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- The firsts are kept whatever the status; the hours only count the
    -- tickets neither Spam nor Deleted.
    shown := t.status NOT IN ('spam', 'deleted');
    IF NEW.event = 'created' AND NEW.agent_id IS NOT NULL AND f.created_by = 0 THEN
        PERFORM report_add_if(shown, t.created_at / 3600000, t.department_id, 0, t.channel, -1, 0, 0, 0, 0, 0, 0, 0, 0);
        PERFORM report_add_if(shown, t.created_at / 3600000, t.department_id, a, t.channel, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        UPDATE ticket_firsts SET created_by = a WHERE ticket_id = NEW.ticket_id;
    ELSIF NEW.kind = 'reply' THEN
        PERFORM report_add_if(shown, h, t.department_id, a, t.channel, 0, 0, 0, 0, 0, 0, 0, 1, 0);
        IF f.first_reply_at IS NULL THEN
            PERFORM report_add_if(shown, h, t.department_id, a, t.channel, 0, 1, NEW.created_at - t.created_at, 0, 0, 0, 0, 0, 0);
            UPDATE ticket_firsts SET first_reply_at = NEW.created_at, first_reply_by = a, first_reply_ms = NEW.created_at - t.created_at
                WHERE ticket_id = NEW.ticket_id;
        END IF;
    ELSIF NEW.kind = 'note' THEN
        PERFORM report_add_if(shown, h, t.department_id, a, t.channel, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    ELSIF NEW.event = 'assigned' AND NEW.details LIKE '%"name":%' AND f.first_assign_at IS NULL THEN
        PERFORM report_add_if(shown, h, t.department_id, t.assignee_id, t.channel, 0, 0, 0, 1, NEW.created_at - t.created_at, 0, 0, 0, 0);
        UPDATE ticket_firsts SET first_assign_at = NEW.created_at, first_assign_to = t.assignee_id WHERE ticket_id = NEW.ticket_id;
    ELSIF NEW.event = 'status' AND NEW.details LIKE '%"to":"resolved"%' AND f.first_resolve_at IS NULL THEN
        PERFORM report_add_if(shown, h, t.department_id, a, t.channel, 0, 0, 0, 0, 0, 1, NEW.created_at - t.created_at, 0, 0);
        UPDATE ticket_firsts SET first_resolve_at = NEW.created_at, first_resolve_by = a WHERE ticket_id = NEW.ticket_id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER messages_report AFTER INSERT ON messages
    FOR EACH ROW WHEN (NEW.kind IN ('reply', 'note') OR NEW.event IN ('created', 'assigned', 'status'))
    EXECUTE FUNCTION messages_report();

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
