-- +goose Up
-- The words of each search index, for reading a prefix typed last as the
-- words that start with it (store/queue_prefix.go). fts5vocab tables keep
-- nothing of their own: each reads its index when queried.
CREATE VIRTUAL TABLE ticket_search_words USING fts5vocab(ticket_search, 'row');
CREATE VIRTUAL TABLE ticket_refs_words USING fts5vocab(ticket_refs, 'row');

-- +goose Down
DROP TABLE ticket_refs_words;
DROP TABLE ticket_search_words;
