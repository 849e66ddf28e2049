-- +goose Up
-- Predefined answers: a title and a body with placeholders, for one
-- department or (department_id NULL) all of them; personal to owner_id, or
-- shared when owner_id is NULL. Removing a department removes its answers
-- rather than widening them to every department.
CREATE TABLE canned_answers (
    id            INTEGER PRIMARY KEY,
    title         TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    department_id INTEGER REFERENCES departments (id) ON DELETE CASCADE,
    owner_id      INTEGER REFERENCES agents (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    updated_by    INTEGER REFERENCES agents (id)
);
CREATE INDEX canned_answers_owner ON canned_answers (owner_id, title);
CREATE INDEX canned_answers_department ON canned_answers (department_id, title);

-- Tags, which tickets carried only as names in ticket_tags until now, get a
-- row of their own with a colour and the number of tickets carrying them,
-- kept by the triggers below so that no page counts ticket_tags. Names are
-- stored as store.NormalizeTag makes them (lower case), and are unique in
-- any letter case. ticket_tags keeps the name: the queue's tag filter reads
-- ticket_tags_tag alone, as before.
CREATE TABLE tags (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    colour       TEXT    NOT NULL DEFAULT '',
    ticket_count INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX tags_name ON tags (name);

INSERT INTO tags (name, ticket_count) SELECT tag, count(*) FROM ticket_tags GROUP BY tag;

-- A tag put on a ticket makes the tag if it is new. Rename and merge move
-- rows of ticket_tags by UPDATE, which no trigger counts: they set the
-- counts of the tags they touch themselves (store/tags.go).
-- +goose StatementBegin
CREATE TRIGGER ticket_tags_count_insert AFTER INSERT ON ticket_tags BEGIN
    INSERT INTO tags (name, ticket_count) VALUES (new.tag, 1)
        ON CONFLICT (name) DO UPDATE SET ticket_count = ticket_count + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ticket_tags_count_delete AFTER DELETE ON ticket_tags BEGIN
    UPDATE tags SET ticket_count = ticket_count - 1 WHERE name = old.tag;
END;
-- +goose StatementEnd

-- Configuration → System → Languages: the interface languages the desk
-- offers (comma-separated codes of views.Languages) and its default, for
-- new agents, the contact form and customers.
ALTER TABLE account ADD COLUMN offered_languages TEXT NOT NULL DEFAULT 'en,pl,ro';
ALTER TABLE account ADD COLUMN default_language TEXT NOT NULL DEFAULT 'en';
