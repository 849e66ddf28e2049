-- +goose Up
-- SLA compliance (SPEC §6.3, docs/SLA.md): one row each time a clock stops
-- — First answer and Next answer at an agent's reply, Resolution at
-- Resolved — written in the transaction that stops it. met: stopped by its
-- due time. agent_id: who stopped it (NULL: a rule or the system). The
-- report reads the period's rows by the at index and takes the department,
-- channel and status from the ticket by its key, so a transferred ticket's
-- outcomes move with it, as the queue a figure links to shows it.
CREATE TABLE sla_outcomes (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    target    TEXT    NOT NULL,
    agent_id  INTEGER,
    at        INTEGER NOT NULL,
    met       INTEGER NOT NULL
);
CREATE INDEX sla_outcomes_at ON sla_outcomes (at);
CREATE INDEX sla_outcomes_agent_at ON sla_outcomes (agent_id, at) WHERE agent_id IS NOT NULL;
-- The queue's drill-down asks, per ticket, for its outcomes.
CREATE INDEX sla_outcomes_ticket ON sla_outcomes (ticket_id, target, at);

-- +goose Down
DROP TABLE sla_outcomes;
