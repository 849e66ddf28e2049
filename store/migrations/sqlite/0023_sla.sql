-- +goose Up
-- SLA levels (SPEC §6.6, docs/SLA.md): targets in business time, with the
-- business hours they are measured in. Times are Unix ms, targets minutes
-- (0: no target). week is JSON, seven lists (Sunday first) of [start, end]
-- minutes since midnight; holidays dates "2006-01-02" separated by commas.
CREATE TABLE sla_levels (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL,
    first_answer_min  INTEGER NOT NULL DEFAULT 0,
    next_answer_min   INTEGER NOT NULL DEFAULT 0,
    resolution_min    INTEGER NOT NULL DEFAULT 0,
    time_zone         TEXT    NOT NULL,
    week              TEXT    NOT NULL,
    holidays          TEXT    NOT NULL DEFAULT '',
    is_default        INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX sla_levels_name ON sla_levels (name);
-- At most one default level.
CREATE UNIQUE INDEX sla_levels_default ON sla_levels (is_default) WHERE is_default = 1;

-- A ticket's level and its clocks. A running clock has its due instant, a
-- paused one (Postponed, Resolved, Spam, Deleted) the business time it had
-- left; a stopped clock has neither. sla_due is the earliest running due,
-- for the queue's Due sort and Overdue filter.
ALTER TABLE tickets ADD COLUMN sla_level_id INTEGER REFERENCES sla_levels (id) ON DELETE SET NULL;
ALTER TABLE tickets ADD COLUMN sla_first_due INTEGER;
ALTER TABLE tickets ADD COLUMN sla_first_left INTEGER;
ALTER TABLE tickets ADD COLUMN sla_next_due INTEGER;
ALTER TABLE tickets ADD COLUMN sla_next_left INTEGER;
ALTER TABLE tickets ADD COLUMN sla_resolve_due INTEGER;
ALTER TABLE tickets ADD COLUMN sla_resolve_left INTEGER;
ALTER TABLE tickets ADD COLUMN sla_due INTEGER;
CREATE INDEX tickets_sla_due ON tickets (sla_due) WHERE sla_due IS NOT NULL;
CREATE INDEX tickets_dept_sla_due ON tickets (department_id, sla_due) WHERE sla_due IS NOT NULL;
