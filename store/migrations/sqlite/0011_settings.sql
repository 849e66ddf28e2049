-- +goose Up
-- Configuration → General: the desk's time zone, an IANA name (desk.TimeZones).
-- Times are stored in UTC and shown in it. The company name already lives
-- in account, where sign-up puts it.
ALTER TABLE account ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
