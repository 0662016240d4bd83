package sqlstore

// sqliteQueries is the SQLite dialect: ? placeholders, times as INTEGER unix
// microseconds, JSON as TEXT. No row locks: the single writer connection runs
// every write transaction as BEGIN IMMEDIATE, which already serializes them.
var sqliteQueries = queries{
	migrationLock: "",
	createMigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at INTEGER NOT NULL)`,
	schemaVersion:   `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`,
	recordMigration: `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,

	insertChannel: `INSERT INTO channels (id, key, draft_config, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?)`,
	channelByKey:       `SELECT ` + channelColumns + channelFrom + ` WHERE c.key = ?`,
	channelByID:        `SELECT ` + channelColumns + channelFrom + ` WHERE c.id = ?`,
	listChannels:       `SELECT ` + channelColumns + channelFrom + ` ORDER BY c.key`,
	lockChannel:        `SELECT id, COALESCE(published_version, 0) FROM channels WHERE key = ?`,
	updateChannelDraft: `UPDATE channels SET draft_config = ?, updated_at = ? WHERE key = ?`,
	insertChannelVersion: `INSERT INTO channel_versions (channel_id, version, config, published_at)
		SELECT id, ?, draft_config, ? FROM channels WHERE id = ?`,
	setPublishedVersion: `UPDATE channels SET published_version = ?, updated_at = ? WHERE id = ?`,
	deleteChannel:       `DELETE FROM channels WHERE key = ?`,

	insertAgent: `INSERT INTO agents (` + agentColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	agentByID:   `SELECT ` + agentColumns + ` FROM agents WHERE id = ?`,
	agentByName: `SELECT ` + agentColumns + ` FROM agents WHERE name = ?`,
	updateAgent: `UPDATE agents SET name = ?, instructions = ?, provider = ?, model = ?,
		collection_id = ?, suggested_questions = ?, escalation_language = ?, updated_at = ?
		WHERE id = ? RETURNING created_at`,

	insertCollection: `INSERT INTO collections (id, name, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING`,
	collectionByName: `SELECT ` + collectionColumns + ` FROM collections WHERE name = ?`,
	collectionByID:   `SELECT ` + collectionColumns + ` FROM collections WHERE id = ?`,
	listCollections:  `SELECT ` + collectionColumns + ` FROM collections ORDER BY name`,
	documentBySource: `SELECT ` + documentColumns + ` FROM documents WHERE collection_id = ? AND source = ?`,
	insertDocument:   `INSERT INTO documents (` + documentColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	updateDocument: `UPDATE documents SET title = ?, url = ?, content_type = ?, content_hash = ?,
		updated_at = ? WHERE id = ?`,
	deleteChunks:       `DELETE FROM chunks WHERE document_id = ?`,
	insertChunk:        `INSERT INTO chunks (` + chunkColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	listDocuments:      `SELECT ` + documentColumns + ` FROM documents WHERE collection_id = ? ORDER BY source`,
	deleteDocument:     `DELETE FROM documents WHERE id = ?`,
	chunksByCollection: `SELECT ` + chunkColumns + ` FROM chunks WHERE collection_id = ? ORDER BY document_id, ordinal`,

	upsertContact: `INSERT INTO contacts (` + contactColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel_id, kind, external_id)
		DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at
		RETURNING id, created_at, updated_at`,
	contactByID:   `SELECT ` + contactColumns + ` FROM contacts WHERE id = ?`,
	insertSession: `INSERT INTO sessions (` + sessionColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	sessionByID:   `SELECT ` + sessionColumns + ` FROM sessions WHERE id = ?`,
	sessionByTokenHash: `SELECT ` + sessionColumns + ` FROM sessions
		WHERE token_hash = ? OR id = (SELECT session_id FROM session_tokens WHERE token_hash = ?)`,
	latestSession: `SELECT ` + sessionColumns + ` FROM sessions
		WHERE channel_id = ? AND contact_id = ? AND last_activity_at >= ?
		AND status IN (SELECT value FROM json_each(?))
		ORDER BY last_activity_at DESC, id DESC LIMIT 1`,
	setSessionStatus: `UPDATE sessions SET status = ?, closed_at = ?,
		last_activity_at = MAX(last_activity_at, ?) WHERE id = ?`,
	setSessionLanguage: `UPDATE sessions SET language = ? WHERE id = ?`,
	lockSession:        `SELECT id FROM sessions WHERE id = ?`,
	touchSession:       `UPDATE sessions SET last_activity_at = MAX(last_activity_at, ?) WHERE id = ?`,
	markClarification:  `UPDATE sessions SET clarification_used = 1 WHERE id = ?`,

	insertMessage: `INSERT INTO messages (` + messageColumns + `, owner)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	messageByID: `SELECT ` + messageColumns + ` FROM messages WHERE id = ?`,
	messagesAfter: `SELECT ` + messageColumns + ` FROM messages
		WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?`,
	streamingReply: `SELECT id FROM messages WHERE session_id = ? AND status = 'streaming' LIMIT 1`,
	idempotencyByKey: `SELECT request_hash, user_message_id, reply_message_id FROM idempotency_keys
		WHERE session_id = ? AND client_message_id = ?`,
	insertIdempotency: `INSERT INTO idempotency_keys (session_id, client_message_id, request_hash,
		user_message_id, reply_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
	finishReply: `UPDATE messages SET status = ?, kind = COALESCE(?, kind), text = ?, sources = ?,
		language = COALESCE(?, language), error = ?, updated_at = ?
		WHERE id = ? AND owner = ? AND (status = 'streaming' OR (status = 'interrupted' AND error = ?))
		RETURNING ` + messageColumns,
	expireSecrets: `UPDATE channel_secrets SET expires_at = ? WHERE channel_id = ? AND kind = ? AND expires_at IS NOT NULL AND expires_at > ?`,
	graceSecret:   `UPDATE channel_secrets SET expires_at = ? WHERE channel_id = ? AND kind = ? AND expires_at IS NULL`,
	insertSecret: `INSERT INTO channel_secrets (id, channel_id, kind, ciphertext, hash, hint, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
	validSecrets: `SELECT id, channel_id, kind, ciphertext, hash, hint, created_at, expires_at FROM channel_secrets
		WHERE channel_id = ? AND kind = ? AND (expires_at IS NULL OR expires_at > ?)
		ORDER BY expires_at IS NOT NULL, created_at DESC, id DESC`,
	pruneAssertions:    `DELETE FROM assertion_replays WHERE expires_at <= ?`,
	insertAssertion:    `INSERT INTO assertion_replays (channel_id, issuer, jti, expires_at) VALUES (?, ?, ?, ?)`,
	setSessionToken:    `UPDATE sessions SET token_hash = ? WHERE id = ?`,
	sessionExists:      `SELECT 1 FROM sessions WHERE id = ?`,
	insertSessionToken: `INSERT INTO session_tokens (token_hash, session_id, created_at) VALUES (?, ?, ?)`,
	pruneSessionTokens: `DELETE FROM session_tokens WHERE session_id = ? AND token_hash NOT IN
		(SELECT token_hash FROM session_tokens WHERE session_id = ? ORDER BY created_at DESC, token_hash DESC LIMIT ?)`,
	deleteSessionTokens:        `DELETE FROM session_tokens WHERE session_id = ?`,
	sessionsOfContact:          `SELECT id FROM sessions WHERE contact_id = ?`,
	deleteContactSessionTokens: `DELETE FROM session_tokens WHERE session_id IN (SELECT id FROM sessions WHERE contact_id = ?)`,
	restartReply: `UPDATE messages SET status = 'streaming', text = '', sources = ?, error = '', updated_at = ?, owner = ?
		WHERE id = ? AND role = 'assistant' AND status IN ('interrupted', 'failed')
		RETURNING ` + messageColumns,
	sessionOfMessage: `SELECT session_id FROM messages WHERE id = ?`,
	interruptStreaming: `UPDATE messages SET status = 'interrupted',
		error = CASE WHEN error = '' THEN ?1 ELSE error END, updated_at = ?2
		WHERE status = 'streaming' AND NOT EXISTS (SELECT 1 FROM instances
			WHERE instances.id = messages.owner AND instances.seen_at >= ?3)
		AND (owner <> '' OR updated_at < ?3)`,
	heartbeat: `INSERT INTO instances (id, seen_at) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`,
	pruneInstances: `DELETE FROM instances WHERE seen_at < ?`,

	nextTicketNumber: `UPDATE ticket_counter SET last_number = last_number + 1 WHERE id = 1
		RETURNING last_number`,
	insertTicket: `INSERT INTO tickets (id, seq, number, channel_id, session_id, contact_id, priority,
		"trigger", status, summary, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	ticketsBySession: `SELECT ` + ticketColumns + ` FROM tickets WHERE session_id = ? ORDER BY seq`,
}
