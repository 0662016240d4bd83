-- Replies in status streaming belong to the instance (process) streaming
-- them, and every instance records a heartbeat: the sweep of replies left
-- streaming ends only those of instances that stopped, never the live
-- replies of another instance sharing the database.
ALTER TABLE messages ADD COLUMN owner TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE TABLE instances (
    id      TEXT COLLATE "C" PRIMARY KEY,
    seen_at TIMESTAMPTZ NOT NULL
);
