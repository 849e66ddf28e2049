-- +goose Up
-- A ticket's search document is written once per text message instead of
-- twice on creation. Before, the ticket insert wrote a subject-only document
-- and the first message deleted and rewrote it in the same transaction; the
-- delete of a row written moments earlier makes FTS5 flush its pending terms
-- into a new segment, once per ticket, so tickets created together in one
-- transaction still cost a segment each.
--
-- Now only messages write the document, replacing any earlier one
-- (INSERT OR REPLACE on a contentless_delete table): for a new ticket it is a
-- plain insert, for a later message a delete and insert as before. Every
-- ticket is created with its first customer message in the same transaction
-- (store.CreateTicket), so a new ticket is still found by its subject and its
-- first message at once. Documents of existing tickets stay as they are.

DROP TRIGGER tickets_search_insert;
DROP TRIGGER messages_search_insert;

-- +goose StatementBegin
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN new.kind <> 'event' BEGIN
    INSERT OR REPLACE INTO ticket_search (rowid, subject, body)
        SELECT t.id, t.subject,
               (SELECT group_concat(m.body, char(10)) FROM messages m WHERE m.ticket_id = t.id AND m.kind <> 'event')
        FROM tickets t WHERE t.id = new.ticket_id;
END;
-- +goose StatementEnd
