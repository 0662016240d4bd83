-- More than one live credential per session: each tab of a signed-in
-- visitor resumes the same conversation with a credential of its own
-- (sessions.token_hash stays the first). SetSessionToken (logout, identity
-- change) replaces the first and deletes these.
CREATE TABLE session_tokens (
    token_hash BLOB PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX session_tokens_session ON session_tokens (session_id, created_at);
