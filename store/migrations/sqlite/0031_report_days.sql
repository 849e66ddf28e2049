-- +goose Up
-- Reports over long periods read days, not hours (docs/REPORTS.md): the
-- figures of report_hours summed per day of the desk's time zone, and the
-- first answer times as a histogram, both kept by triggers on report_hours
-- in the same transaction as every change.
--
-- Each figure is kept at four grains, because a year of the full key
-- (department x agent x channel) is nearly a row per event on a busy desk:
-- grain 0 the full key, 1 all (0, 0, ''; only for the first answer
-- times: the other figures of all departments add up their grain 2 when
-- read, so no one row takes every new ticket), 2 per department (d, 0, ''),
-- 3 per agent (0, a, ''), and 4 per agent and month (its day is the
-- month's first: Performance by agent over a year reads twelve months and
-- the days at its ends). A report reads the smallest grain its filters and
-- grouping allow.
--
-- The local day of a UTC hour comes from report_zone: from each hour on,
-- the zone's offset in minutes (one row per transition of the zone, written
-- by store/reports_days.go, which rebuilds every day row when the desk's
-- zone changes). report_zone_name says which zone the days are cut in; a
-- report in another zone reads the hours.

CREATE TABLE report_zone (
    from_hour  INTEGER PRIMARY KEY,
    offset_min INTEGER NOT NULL
);

CREATE TABLE report_zone_name (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL
);

-- First answer times fall in log-spaced buckets: bucket 0 under one second,
-- bucket k from 1000 x 1.1^(k-1) ms (k = 1 .. 240, past 500 years).
CREATE TABLE report_buckets (
    bucket INTEGER PRIMARY KEY,
    lo_ms  INTEGER NOT NULL UNIQUE
);
INSERT INTO report_buckets (bucket, lo_ms) VALUES (0, 0);
INSERT INTO report_buckets (bucket, lo_ms)
    WITH RECURSIVE b (k, lo) AS (SELECT 1, 1000.0 UNION ALL SELECT k + 1, lo * 1.1 FROM b WHERE k < 240)
    SELECT k, CAST(lo AS INTEGER) FROM b;

-- The first day of every month, 1970 to 2100, as days since 1970-01-01.
CREATE TABLE report_months (first_day INTEGER PRIMARY KEY);
INSERT INTO report_months (first_day)
    WITH RECURSIVE m (d) AS (SELECT '1970-01-01' UNION ALL SELECT date(d, '+1 month') FROM m WHERE d < '2100-01-01')
    SELECT CAST(julianday(d) - 2440587.5 AS INTEGER) FROM m;

CREATE TABLE report_days (
    grain         INTEGER NOT NULL,
    day           INTEGER NOT NULL, -- local date, as days since 1970-01-01
    department_id INTEGER NOT NULL,
    agent_id      INTEGER NOT NULL,
    channel       TEXT    NOT NULL,
    created       INTEGER NOT NULL DEFAULT 0,
    replied       INTEGER NOT NULL DEFAULT 0,
    reply_ms      INTEGER NOT NULL DEFAULT 0,
    assigned      INTEGER NOT NULL DEFAULT 0,
    assign_ms     INTEGER NOT NULL DEFAULT 0,
    resolved      INTEGER NOT NULL DEFAULT 0,
    resolve_ms    INTEGER NOT NULL DEFAULT 0,
    answers       INTEGER NOT NULL DEFAULT 0,
    notes         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, day, department_id, agent_id, channel)
) WITHOUT ROWID;
-- The full key under an Agent or a Department filter.
CREATE INDEX report_days_agent ON report_days (agent_id, day) WHERE grain = 0;
CREATE INDEX report_days_department ON report_days (department_id, day) WHERE grain = 0;

CREATE TABLE report_reply_days (
    grain         INTEGER NOT NULL,
    day           INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    agent_id      INTEGER NOT NULL,
    channel       TEXT    NOT NULL,
    bucket        INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (grain, day, department_id, agent_id, channel, bucket)
) WITHOUT ROWID;
CREATE INDEX report_reply_days_agent ON report_reply_days (agent_id, day) WHERE grain = 0;
CREATE INDEX report_reply_days_department ON report_reply_days (department_id, day) WHERE grain = 0;

-- While a rebuild counts report_hours afresh (a bulk load, store/
-- reports_rebuild.go) it holds a row here: the day rollups are counted
-- after it in one statement, not row by row.
CREATE TABLE report_days_paused (id INTEGER PRIMARY KEY CHECK (id = 1));

CREATE VIEW report_grains AS
    SELECT 0 AS grain UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4;

-- One hour's change, at every grain. A row of report_hours changes by one
-- ticket at a time (a first reply, a transfer or a Spam mark moves one
-- ticket's figures), so a change of replied by one is one first answer
-- whose time is the change of reply_ms: its bucket moves by one.
-- +goose StatementBegin
CREATE TRIGGER report_hours_days_insert AFTER INSERT ON report_hours
    WHEN NOT EXISTS (SELECT 1 FROM report_days_paused) BEGIN
    INSERT INTO report_days (grain, day, department_id, agent_id, channel, created, replied, reply_ms, assigned, assign_ms, resolved, resolve_ms, answers, notes)
        SELECT g.grain, CASE g.grain WHEN 4 THEN (SELECT max(m.first_day) FROM report_months m WHERE m.first_day <= d.day) ELSE d.day END,
               CASE WHEN g.grain IN (0, 2) THEN new.department_id ELSE 0 END, CASE WHEN g.grain IN (0, 3, 4) THEN new.agent_id ELSE 0 END,
               CASE g.grain WHEN 0 THEN new.channel ELSE '' END,
               new.created, new.replied, new.reply_ms, new.assigned, new.assign_ms, new.resolved, new.resolve_ms, new.answers, new.notes
        FROM report_grains g, (SELECT (new.at_hour * 60 + coalesce((SELECT z.offset_min FROM report_zone z WHERE z.from_hour <= new.at_hour ORDER BY z.from_hour DESC LIMIT 1), 0)) / 1440 AS day) d WHERE g.grain <> 1
        ON CONFLICT (grain, day, department_id, agent_id, channel) DO UPDATE SET
            created = created + excluded.created, replied = replied + excluded.replied, reply_ms = reply_ms + excluded.reply_ms,
            assigned = assigned + excluded.assigned, assign_ms = assign_ms + excluded.assign_ms,
            resolved = resolved + excluded.resolved, resolve_ms = resolve_ms + excluded.resolve_ms,
            answers = answers + excluded.answers, notes = notes + excluded.notes;
    INSERT INTO report_reply_days (grain, day, department_id, agent_id, channel, bucket, n)
        SELECT g.grain, CASE g.grain WHEN 4 THEN (SELECT max(m.first_day) FROM report_months m WHERE m.first_day <= d.day) ELSE d.day END,
               CASE WHEN g.grain IN (0, 2) THEN new.department_id ELSE 0 END, CASE WHEN g.grain IN (0, 3, 4) THEN new.agent_id ELSE 0 END,
               CASE g.grain WHEN 0 THEN new.channel ELSE '' END,
               (SELECT b.bucket FROM report_buckets b WHERE b.lo_ms <= new.reply_ms ORDER BY b.lo_ms DESC LIMIT 1), 1
        FROM report_grains g, (SELECT (new.at_hour * 60 + coalesce((SELECT z.offset_min FROM report_zone z WHERE z.from_hour <= new.at_hour ORDER BY z.from_hour DESC LIMIT 1), 0)) / 1440 AS day) d WHERE g.grain < 4 AND new.replied = 1
        ON CONFLICT (grain, day, department_id, agent_id, channel, bucket) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_hours_days_update AFTER UPDATE ON report_hours
    WHEN NOT EXISTS (SELECT 1 FROM report_days_paused) BEGIN
    INSERT INTO report_days (grain, day, department_id, agent_id, channel, created, replied, reply_ms, assigned, assign_ms, resolved, resolve_ms, answers, notes)
        SELECT g.grain, CASE g.grain WHEN 4 THEN (SELECT max(m.first_day) FROM report_months m WHERE m.first_day <= d.day) ELSE d.day END,
               CASE WHEN g.grain IN (0, 2) THEN new.department_id ELSE 0 END, CASE WHEN g.grain IN (0, 3, 4) THEN new.agent_id ELSE 0 END,
               CASE g.grain WHEN 0 THEN new.channel ELSE '' END,
               new.created - old.created, new.replied - old.replied, new.reply_ms - old.reply_ms, new.assigned - old.assigned,
               new.assign_ms - old.assign_ms, new.resolved - old.resolved, new.resolve_ms - old.resolve_ms,
               new.answers - old.answers, new.notes - old.notes
        FROM report_grains g, (SELECT (new.at_hour * 60 + coalesce((SELECT z.offset_min FROM report_zone z WHERE z.from_hour <= new.at_hour ORDER BY z.from_hour DESC LIMIT 1), 0)) / 1440 AS day) d WHERE g.grain <> 1
        ON CONFLICT (grain, day, department_id, agent_id, channel) DO UPDATE SET
            created = created + excluded.created, replied = replied + excluded.replied, reply_ms = reply_ms + excluded.reply_ms,
            assigned = assigned + excluded.assigned, assign_ms = assign_ms + excluded.assign_ms,
            resolved = resolved + excluded.resolved, resolve_ms = resolve_ms + excluded.resolve_ms,
            answers = answers + excluded.answers, notes = notes + excluded.notes;
    INSERT INTO report_reply_days (grain, day, department_id, agent_id, channel, bucket, n)
        SELECT g.grain, CASE g.grain WHEN 4 THEN (SELECT max(m.first_day) FROM report_months m WHERE m.first_day <= d.day) ELSE d.day END,
               CASE WHEN g.grain IN (0, 2) THEN new.department_id ELSE 0 END, CASE WHEN g.grain IN (0, 3, 4) THEN new.agent_id ELSE 0 END,
               CASE g.grain WHEN 0 THEN new.channel ELSE '' END,
               (SELECT b.bucket FROM report_buckets b WHERE b.lo_ms <= abs(new.reply_ms - old.reply_ms) ORDER BY b.lo_ms DESC LIMIT 1),
               new.replied - old.replied
        FROM report_grains g, (SELECT (new.at_hour * 60 + coalesce((SELECT z.offset_min FROM report_zone z WHERE z.from_hour <= new.at_hour ORDER BY z.from_hour DESC LIMIT 1), 0)) / 1440 AS day) d WHERE g.grain < 4 AND new.replied - old.replied IN (1, -1)
        ON CONFLICT (grain, day, department_id, agent_id, channel, bucket) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- The Ticket load of a long period draws days: the agents signed in on each
-- local day (store/reports_load.go writes it with report_signed_in).
CREATE TABLE report_signed_in_days (
    day      INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    PRIMARY KEY (day, agent_id)
) WITHOUT ROWID;
INSERT INTO report_signed_in_days (day, agent_id) SELECT DISTINCT at_hour / 24, agent_id FROM report_signed_in;
