-- +goose Up
-- A new ticket's code and requester reach ticket_refs from the statement
-- that writes a batch's tickets (store/intake.go insertTicketRefs), once per
-- batch, no longer from a trigger per ticket. Within a transaction SQLite
-- opens a savepoint for each statement that may need undoing, and FTS5
-- writes what it holds to disk at every savepoint: with the trigger, each
-- ticket of a batch after the first made new index segments of its own.
DROP TRIGGER tickets_refs_insert;

-- +goose Down
-- +goose StatementBegin
CREATE TRIGGER tickets_refs_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_refs (rowid, code, requester)
        SELECT new.id, new.code, c.name || ' ' || c.email FROM contacts c WHERE c.id = new.contact_id;
END;
-- +goose StatementEnd
