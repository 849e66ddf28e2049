-- +goose Up
-- What people call a ticket by, apart from its words: its code and its
-- requester's name and email, in a full-text index of their own keyed by
-- ticket id like ticket_search. Search reads both indexes newest first and
-- merges them, so "Carla", "example.com" or "4F2QD" finds tickets as a word
-- of their messages does, a page at a time without sorting.
--
-- A table of its own rather than two more columns of ticket_search: a
-- contentless index cannot be given new columns in place, and rebuilding
-- every ticket's document from its messages would read the whole thread
-- history of a large desk. This one is written from tickets and contacts
-- alone. A contact's name and email never change (intake keeps the first
-- name an address came with), so the document is written once, with the
-- ticket.
CREATE VIRTUAL TABLE ticket_refs USING fts5 (
    code, requester,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO ticket_refs (rowid, code, requester)
    SELECT t.id, t.code, c.name || ' ' || c.email FROM tickets t JOIN contacts c ON c.id = t.contact_id;

-- +goose StatementBegin
CREATE TRIGGER tickets_refs_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_refs (rowid, code, requester)
        SELECT new.id, new.code, c.name || ' ' || c.email FROM contacts c WHERE c.id = new.contact_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tickets_refs_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM ticket_refs WHERE rowid = old.id;
END;
-- +goose StatementEnd
