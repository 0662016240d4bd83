-- Replies in status streaming belong to the instance (process) streaming
-- them, and every instance records a heartbeat: the sweep of replies left
-- streaming ends only those of instances that stopped, never the live
-- replies of another instance sharing the database.
ALTER TABLE messages ADD COLUMN owner TEXT NOT NULL DEFAULT '';
CREATE TABLE instances (
    id      TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
);
