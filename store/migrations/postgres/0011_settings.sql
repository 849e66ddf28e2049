-- +goose Up
-- SQLite's 0011_settings.sql in PostgreSQL's SQL: the desk's time zone.
ALTER TABLE account ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
