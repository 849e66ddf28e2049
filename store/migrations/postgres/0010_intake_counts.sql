-- +goose Up
-- New tickets written by the intake are counted once per batch instead of
-- once per ticket (PostgreSQL only; SQLite has no 0010). Every new ticket
-- of a department adds one to the same row of ticket_counts; counted by the
-- trigger, the first ticket of a batch locks that row until the batch
-- commits, so batches from two instances took turns for their whole length.
-- The intake now sets helpline.counted_by_intake for its transaction and
-- adds each department's new tickets in one statement just before commit,
-- holding the row for that moment only (store/intake.go). Every other
-- insert, update and delete is counted by the trigger as before.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION tickets_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND current_setting('helpline.counted_by_intake', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE ticket_counts SET n = n - 1 WHERE department_id = OLD.department_id AND status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO ticket_counts (department_id, status, n) VALUES (NEW.department_id, NEW.status, 1)
            ON CONFLICT (department_id, status) DO UPDATE SET n = ticket_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
