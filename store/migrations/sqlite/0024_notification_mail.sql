-- +goose Up
-- Notifications by email (Profile → Email me my notifications). An agent
-- chooses it; it is off until they do, as the top bar tells them already
-- and mail nobody asked for teaches people to ignore the desk's mail.
ALTER TABLE agents ADD COLUMN notify_email INTEGER NOT NULL DEFAULT 0;

-- The outbox also carries those emails. agent_id is the recipient: NULL
-- for a reply to the ticket's requester, else the agent told; notice is
-- the notification's kind ('' for a reply). message_id is the message the
-- notification is about (the assignment's event, the customer's answer,
-- the note).
ALTER TABLE outbox ADD COLUMN agent_id INTEGER REFERENCES agents (id) ON DELETE CASCADE;
ALTER TABLE outbox ADD COLUMN notice TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_agent ON outbox (agent_id) WHERE agent_id IS NOT NULL;
