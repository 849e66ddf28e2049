-- +goose Up
-- Rules (SPEC §6.6): what the desk does by itself after a change to a
-- ticket. Times are Unix ms.

-- A rule. position orders the rules: they run in it. apply_when is its Apply
-- when (automation.Trigger); definition is its condition groups and
-- actions as JSON (automation.Definition), read whole with the rule.
CREATE TABLE rules (
    id         INTEGER PRIMARY KEY,
    position   INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    name       TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    apply_when TEXT    NOT NULL,
    definition TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX rules_apply_when ON rules (apply_when, position) WHERE active = 1;

-- What went wrong when a rule ran on a ticket, shown on the rule's page.
CREATE TABLE rule_failures (
    id         INTEGER PRIMARY KEY,
    rule_id    INTEGER NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
    ticket_id  INTEGER NOT NULL,
    error      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX rule_failures_rule ON rule_failures (rule_id, id);

-- Moves on with every change to the rules, so each instance knows when the
-- rules it keeps parsed are out of date (store/rules_cache.go).
CREATE TABLE rules_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO rules_version (id, version) VALUES (1, 0);

-- +goose Down
DROP TABLE rules_version;
DROP TABLE rule_failures;
DROP TABLE rules;
