-- +goose Up
-- Custom roles: an Owner's own roles, which start from the Agent's
-- permissions and add chosen ones. permissions holds the names of the
-- catalogue (authz), comma-separated. name_key is the name folded to lower
-- case by the program (any letter, not only ASCII), so names are unique in
-- any letter case.
CREATE TABLE custom_roles (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    permissions TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES agents (id)
);
CREATE UNIQUE INDEX custom_roles_name ON custom_roles (name_key);

-- A custom role's holder keeps role 'agent' (the owner rules count Owners
-- by role) and names the custom role here.
ALTER TABLE agents ADD COLUMN custom_role_id INTEGER REFERENCES custom_roles (id);
CREATE INDEX agents_custom_role ON agents (custom_role_id) WHERE custom_role_id IS NOT NULL;
