-- +goose Up
-- The tickets of an SLA level, found without reading every ticket: removing
-- a level moves them to the default level (docs/SLA.md).
CREATE INDEX tickets_sla_level ON tickets (sla_level_id) WHERE sla_level_id IS NOT NULL;

-- +goose Down
DROP INDEX tickets_sla_level;
