-- +goose Up
-- SQLite's 0031_report_days.sql in PostgreSQL's SQL (its comments say why):
-- the figures of report_hours per day of the desk's time zone at four
-- grains (0 full key, 1 all (first answer times only: every new ticket
-- would update one row), 2 per department, 3 per agent, 4 per agent
-- and month, on the month's first day), and the first
-- answer times as a histogram of log-spaced buckets, kept by a trigger on
-- report_hours in the same transaction as every change.

CREATE TABLE report_zone (
    from_hour  BIGINT PRIMARY KEY,
    offset_min INTEGER NOT NULL
);

CREATE TABLE report_zone_name (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL
);

CREATE TABLE report_buckets (
    bucket INTEGER PRIMARY KEY,
    lo_ms  BIGINT NOT NULL UNIQUE
);
INSERT INTO report_buckets (bucket, lo_ms) VALUES (0, 0);
INSERT INTO report_buckets (bucket, lo_ms)
    WITH RECURSIVE b (k, lo) AS (SELECT 1, 1000.0::double precision UNION ALL SELECT k + 1, lo * 1.1 FROM b WHERE k < 240)
    SELECT k, floor(lo)::bigint FROM b;

CREATE TABLE report_months (first_day BIGINT PRIMARY KEY);
INSERT INTO report_months (first_day)
    SELECT d::date - DATE '1970-01-01' FROM generate_series(DATE '1970-01-01', DATE '2100-01-01', INTERVAL '1 month') d;

CREATE TABLE report_days (
    grain         INTEGER NOT NULL,
    day           BIGINT  NOT NULL,
    department_id BIGINT  NOT NULL,
    agent_id      BIGINT  NOT NULL,
    channel       TEXT    NOT NULL,
    created       BIGINT  NOT NULL DEFAULT 0,
    replied       BIGINT  NOT NULL DEFAULT 0,
    reply_ms      BIGINT  NOT NULL DEFAULT 0,
    assigned      BIGINT  NOT NULL DEFAULT 0,
    assign_ms     BIGINT  NOT NULL DEFAULT 0,
    resolved      BIGINT  NOT NULL DEFAULT 0,
    resolve_ms    BIGINT  NOT NULL DEFAULT 0,
    answers       BIGINT  NOT NULL DEFAULT 0,
    notes         BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, day, department_id, agent_id, channel)
);
CREATE INDEX report_days_agent ON report_days (agent_id, day) WHERE grain = 0;
CREATE INDEX report_days_department ON report_days (department_id, day) WHERE grain = 0;

CREATE TABLE report_reply_days (
    grain         INTEGER NOT NULL,
    day           BIGINT  NOT NULL,
    department_id BIGINT  NOT NULL,
    agent_id      BIGINT  NOT NULL,
    channel       TEXT    NOT NULL,
    bucket        INTEGER NOT NULL,
    n             BIGINT  NOT NULL,
    PRIMARY KEY (grain, day, department_id, agent_id, channel, bucket)
);
CREATE INDEX report_reply_days_agent ON report_reply_days (agent_id, day) WHERE grain = 0;
CREATE INDEX report_reply_days_department ON report_reply_days (department_id, day) WHERE grain = 0;

-- While a rebuild counts report_hours afresh (a bulk load, store/
-- reports_rebuild.go) it holds a row here: the day rollups are counted
-- after it in one statement, not row by row.
CREATE TABLE report_days_paused (id INTEGER PRIMARY KEY CHECK (id = 1));

CREATE VIEW report_grains AS
    SELECT 0 AS grain UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4;

-- +goose StatementBegin
CREATE FUNCTION report_hours_days() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d BIGINT;
    dr BIGINT := NEW.replied;
    dms BIGINT := NEW.reply_ms;
    o report_hours%ROWTYPE;
BEGIN
    IF EXISTS (SELECT 1 FROM report_days_paused) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        o := OLD;
        dr := NEW.replied - OLD.replied;
        dms := abs(NEW.reply_ms - OLD.reply_ms);
    ELSE
        o := ROW(NEW.at_hour, NEW.department_id, NEW.agent_id, NEW.channel, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    END IF;
    d := (NEW.at_hour * 60 + coalesce((SELECT z.offset_min FROM report_zone z WHERE z.from_hour <= NEW.at_hour ORDER BY z.from_hour DESC LIMIT 1), 0)) / 1440;
    INSERT INTO report_days AS r (grain, day, department_id, agent_id, channel, created, replied, reply_ms, assigned, assign_ms, resolved, resolve_ms, answers, notes)
        SELECT g.grain, CASE g.grain WHEN 4 THEN (SELECT max(m.first_day) FROM report_months m WHERE m.first_day <= d) ELSE d END,
               CASE WHEN g.grain IN (0, 2) THEN NEW.department_id ELSE 0 END, CASE WHEN g.grain IN (0, 3, 4) THEN NEW.agent_id ELSE 0 END,
               CASE g.grain WHEN 0 THEN NEW.channel ELSE '' END,
               NEW.created - o.created, NEW.replied - o.replied, NEW.reply_ms - o.reply_ms, NEW.assigned - o.assigned,
               NEW.assign_ms - o.assign_ms, NEW.resolved - o.resolved, NEW.resolve_ms - o.resolve_ms,
               NEW.answers - o.answers, NEW.notes - o.notes
        FROM report_grains g WHERE g.grain <> 1 ORDER BY g.grain
        ON CONFLICT (grain, day, department_id, agent_id, channel) DO UPDATE SET
            created = r.created + excluded.created, replied = r.replied + excluded.replied, reply_ms = r.reply_ms + excluded.reply_ms,
            assigned = r.assigned + excluded.assigned, assign_ms = r.assign_ms + excluded.assign_ms,
            resolved = r.resolved + excluded.resolved, resolve_ms = r.resolve_ms + excluded.resolve_ms,
            answers = r.answers + excluded.answers, notes = r.notes + excluded.notes;
    -- A row changes by one ticket at a time: a change of replied by one is
    -- one first answer, whose time is the change of reply_ms.
    IF (TG_OP = 'INSERT' AND dr = 1) OR (TG_OP = 'UPDATE' AND dr IN (1, -1)) THEN
        INSERT INTO report_reply_days AS r (grain, day, department_id, agent_id, channel, bucket, n)
            SELECT g.grain, d, CASE WHEN g.grain IN (0, 2) THEN NEW.department_id ELSE 0 END, CASE WHEN g.grain IN (0, 3) THEN NEW.agent_id ELSE 0 END,
                   CASE g.grain WHEN 0 THEN NEW.channel ELSE '' END,
                   (SELECT b.bucket FROM report_buckets b WHERE b.lo_ms <= dms ORDER BY b.lo_ms DESC LIMIT 1), dr
            FROM report_grains g WHERE g.grain < 4 ORDER BY g.grain
            ON CONFLICT (grain, day, department_id, agent_id, channel, bucket) DO UPDATE SET n = r.n + excluded.n;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER report_hours_days AFTER INSERT OR UPDATE ON report_hours
    FOR EACH ROW EXECUTE FUNCTION report_hours_days();

CREATE TABLE report_signed_in_days (
    day      BIGINT NOT NULL,
    agent_id BIGINT NOT NULL,
    PRIMARY KEY (day, agent_id)
);
INSERT INTO report_signed_in_days (day, agent_id) SELECT DISTINCT at_hour / 24, agent_id FROM report_signed_in;
