-- +goose Up
-- SQLite's 0008_queue_density.sql in PostgreSQL's SQL: each agent's row
-- density, the kept counts of assigned tickets behind the ready views, and
-- the index of the Updated column (see there for why each exists).

ALTER TABLE agents ADD COLUMN queue_density TEXT NOT NULL DEFAULT 'compact'
    CHECK (queue_density IN ('compact', 'comfortable'));

CREATE TABLE ticket_assigned_counts (
    assignee_id   BIGINT NOT NULL,
    department_id BIGINT NOT NULL,
    status        TEXT   NOT NULL,
    n             BIGINT NOT NULL,
    PRIMARY KEY (assignee_id, department_id, status)
);

INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
    SELECT assignee_id, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL
    GROUP BY assignee_id, department_id, status;
INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
    SELECT 0, department_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL
    GROUP BY department_id, status;

-- +goose StatementBegin
CREATE FUNCTION tickets_assigned_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.assignee_id IS NOT NULL THEN
        UPDATE ticket_assigned_counts SET n = n - 1
            WHERE assignee_id IN (OLD.assignee_id, 0) AND department_id = OLD.department_id AND status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.assignee_id IS NOT NULL THEN
        INSERT INTO ticket_assigned_counts (assignee_id, department_id, status, n)
            VALUES (NEW.assignee_id, NEW.department_id, NEW.status, 1), (0, NEW.department_id, NEW.status, 1)
            ON CONFLICT (assignee_id, department_id, status) DO UPDATE SET n = ticket_assigned_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER tickets_assigned_count_insert AFTER INSERT ON tickets
    FOR EACH ROW WHEN (NEW.assignee_id IS NOT NULL) EXECUTE FUNCTION tickets_assigned_count();
CREATE TRIGGER tickets_assigned_count_delete AFTER DELETE ON tickets
    FOR EACH ROW WHEN (OLD.assignee_id IS NOT NULL) EXECUTE FUNCTION tickets_assigned_count();
CREATE TRIGGER tickets_assigned_count_update AFTER UPDATE OF status, department_id, assignee_id ON tickets
    FOR EACH ROW WHEN (OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
        OR (OLD.assignee_id IS NOT NULL AND (OLD.status <> NEW.status OR OLD.department_id <> NEW.department_id)))
    EXECUTE FUNCTION tickets_assigned_count();

-- The same expression as SQLite's index and the store's queries
-- (store/queue_sort.go), with the row id last as in every queue index here.
CREATE INDEX tickets_dept_updated ON tickets (department_id,
    (CASE status WHEN 'postponed' THEN 4398046511104 WHEN 'resolved' THEN 8796093022208 WHEN 'spam' THEN 13194139533312 WHEN 'deleted' THEN 17592186044416 ELSE 0 END + (4398046511103 - updated_at)), id);
