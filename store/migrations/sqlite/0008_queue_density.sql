-- +goose Up
-- The queue a team works in all day: each agent's row density, the kept
-- counts behind the ready views (My open, Unassigned), and the indexes of
-- the sortable columns Updated and Created.

-- Compact rows (one line each) or Comfortable (a muted second line with the
-- start of the last message). Kept per agent, so it follows them to any
-- browser.
ALTER TABLE agents ADD COLUMN queue_density TEXT NOT NULL DEFAULT 'compact'
    CHECK (queue_density IN ('compact', 'comfortable'));

-- Assigned tickets per assignee, department and status, and (assignee 0)
-- per department and status whoever the assignee, kept by triggers in the
-- same transaction as every change, like ticket_counts. "My open" reads the
-- viewer's few rows; "Unassigned" is ticket_counts less the assigned (0)
-- rows: a few per department, whatever the number of tickets.
--
-- Only assigned tickets are counted here, so the triggers do nothing for a
-- new ticket (nobody is assigned yet): the contact form's tickets cost no
-- more to write. A second count of every ticket per assignee would cost
-- each of them another upsert (about 45 us of the writer's time, measured
-- with 32 clients sending the contact form).
CREATE TABLE ticket_assigned_counts (
    assignee_id   INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (assignee_id, department_id, status)
) WITHOUT ROWID;

INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
    SELECT assignee_id, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL
    GROUP BY assignee_id, department_id, status;
INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
    SELECT 0, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL
    GROUP BY department_id, status;

-- +goose StatementBegin
CREATE TRIGGER tickets_assigned_count_insert AFTER INSERT ON tickets WHEN new.assignee_id IS NOT NULL BEGIN
    INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
        VALUES (new.assignee_id, new.department_id, new.status, 1), (0, new.department_id, new.status, 1)
        ON CONFLICT (assignee_id, department_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tickets_assigned_count_delete AFTER DELETE ON tickets WHEN old.assignee_id IS NOT NULL BEGIN
    UPDATE ticket_assigned_counts SET n = n - 1
        WHERE assignee_id IN (old.assignee_id, 0) AND department_id = old.department_id AND status = old.status;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tickets_assigned_count_update AFTER UPDATE OF status, department_id, assignee_id ON tickets
    WHEN old.assignee_id IS NOT new.assignee_id
      OR (old.assignee_id IS NOT NULL AND (old.status <> new.status OR old.department_id <> new.department_id)) BEGIN
    UPDATE ticket_assigned_counts SET n = n - 1
        WHERE old.assignee_id IS NOT NULL
          AND assignee_id IN (old.assignee_id, 0) AND department_id = old.department_id AND status = old.status;
    INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
        SELECT new.assignee_id, new.department_id, new.status, 1 WHERE new.assignee_id IS NOT NULL
        ON CONFLICT (assignee_id, department_id, status) DO UPDATE SET n = n + 1;
    INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
        SELECT 0, new.department_id, new.status, 1 WHERE new.assignee_id IS NOT NULL
        ON CONFLICT (assignee_id, department_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- The key of the Updated column, one integer like sort_key, so paging by
-- (key, id) walks an index and never sorts: phase << 42 | (2^42 - 1 -
-- updated_at), written as phase * 2^42 + (2^42 - 1 - updated_at) so that
-- PostgreSQL, where the same expression is indexed, reckons it in 64 bits;
-- where the phases are New, Open and Answered 0, Postponed 1,
-- Resolved 2, Spam 3, Deleted 4. Walking it up gives unfinished work first
-- and, within a phase, the latest change first; a phase (or the phases up
-- to one) is one range of it, so the views and the status filter stay
-- index ranges too. (The Created column needs no index: sort_key holds the
-- creation time within each status group and priority; see
-- store/queue_created.go.)
--
-- An indexed expression over columns every writer already sets, so no
-- writer changes; store/queue_sort.go spells the same expression (a test
-- checks the queries use this index) and computes the same key in Go for
-- its cursors. An indexed expression rather than a generated column:
-- SQLite reads an indexed expression from the index (a page reads only
-- keys from each department's range) but computes a generated column from
-- the table row.
--
-- Per department only: each index costs every new ticket (about 50 us of
-- the writer's time each, measured with 32 clients sending the contact
-- form; the intake must keep its pace). Whoever sees every department reads
-- each department's range and merges them, as an Agent does; an assignee's
-- few tickets are read from tickets_assignee_queue and sorted.
CREATE INDEX tickets_dept_updated ON tickets (department_id, (CASE status WHEN 'postponed' THEN 4398046511104 WHEN 'resolved' THEN 8796093022208 WHEN 'spam' THEN 13194139533312 WHEN 'deleted' THEN 17592186044416 ELSE 0 END + (4398046511103 - updated_at)));
