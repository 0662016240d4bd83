-- A session may be answered by another agent than its channel's own, when
-- the channel lists it in override_agents and the embed asked for it.
ALTER TABLE sessions ADD COLUMN agent_id TEXT NOT NULL DEFAULT '';
