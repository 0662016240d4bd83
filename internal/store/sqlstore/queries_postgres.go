package sqlstore

// postgresQueries is the PostgreSQL dialect: $n placeholders, TIMESTAMPTZ,
// JSONB. Several instances may write at once, so transactions that read then
// write take row locks (FOR UPDATE) on the row that orders them, and
// migrations take a transaction-scoped advisory lock.
var postgresQueries = queries{
	// The key is arbitrary but fixed for every Docent binary: "docent" + 0x0001.
	migrationLock: `SELECT pg_advisory_xact_lock(7237112413503619073)`,
	createMigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL)`,
	schemaVersion:   `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`,
	recordMigration: `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,

	insertChannel: `INSERT INTO channels (id, key, draft_config, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5)`,
	channelByKey:       `SELECT ` + channelColumns + channelFrom + ` WHERE c.key = $1`,
	channelByID:        `SELECT ` + channelColumns + channelFrom + ` WHERE c.id = $1`,
	listChannels:       `SELECT ` + channelColumns + channelFrom + ` ORDER BY c.key`,
	lockChannel:        `SELECT id, COALESCE(published_version, 0) FROM channels WHERE key = $1 FOR UPDATE`,
	updateChannelDraft: `UPDATE channels SET draft_config = $1, updated_at = $2 WHERE key = $3`,
	insertChannelVersion: `INSERT INTO channel_versions (channel_id, version, config, published_at)
		SELECT id, $1::integer, draft_config, $2::timestamptz FROM channels WHERE id = $3`,
	setPublishedVersion: `UPDATE channels SET published_version = $1, updated_at = $2 WHERE id = $3`,
	deleteChannel:       `DELETE FROM channels WHERE key = $1`,

	insertAgent: `INSERT INTO agents (` + agentColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
	agentByID:   `SELECT ` + agentColumns + ` FROM agents WHERE id = $1`,
	agentByName: `SELECT ` + agentColumns + ` FROM agents WHERE name = $1`,
	updateAgent: `UPDATE agents SET name = $1, instructions = $2, provider = $3, model = $4,
		collection_id = $5, suggested_questions = $6, escalation_language = $7, updated_at = $8
		WHERE id = $9 RETURNING created_at`,

	insertCollection: `INSERT INTO collections (id, name, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO NOTHING`,
	collectionByName: `SELECT ` + collectionColumns + ` FROM collections WHERE name = $1`,
	collectionByID:   `SELECT ` + collectionColumns + ` FROM collections WHERE id = $1`,
	listCollections:  `SELECT ` + collectionColumns + ` FROM collections ORDER BY name`,
	documentBySource: `SELECT ` + documentColumns + ` FROM documents
		WHERE collection_id = $1 AND source = $2 FOR UPDATE`,
	insertDocument: `INSERT INTO documents (` + documentColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
	updateDocument: `UPDATE documents SET title = $1, url = $2, content_type = $3, content_hash = $4,
		updated_at = $5 WHERE id = $6`,
	deleteChunks:       `DELETE FROM chunks WHERE document_id = $1`,
	insertChunk:        `INSERT INTO chunks (` + chunkColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
	listDocuments:      `SELECT ` + documentColumns + ` FROM documents WHERE collection_id = $1 ORDER BY source`,
	deleteDocument:     `DELETE FROM documents WHERE id = $1`,
	chunksByCollection: `SELECT ` + chunkColumns + ` FROM chunks WHERE collection_id = $1 ORDER BY document_id, ordinal`,

	upsertContact: `INSERT INTO contacts (` + contactColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (channel_id, kind, external_id)
		DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at
		RETURNING id, created_at, updated_at`,
	contactByID: `SELECT ` + contactColumns + ` FROM contacts WHERE id = $1`,
	insertSession: `INSERT INTO sessions (` + sessionColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
	sessionByID: `SELECT ` + sessionColumns + ` FROM sessions WHERE id = $1`,
	sessionByTokenHash: `SELECT ` + sessionColumns + ` FROM sessions
		WHERE token_hash = $1 OR id = (SELECT session_id FROM session_tokens WHERE token_hash = $2)`,
	latestSession: `SELECT ` + sessionColumns + ` FROM sessions
		WHERE channel_id = $1 AND contact_id = $2 AND last_activity_at >= $3
		AND status IN (SELECT jsonb_array_elements_text($4::jsonb))
		ORDER BY last_activity_at DESC, id DESC LIMIT 1`,
	setSessionStatus: `UPDATE sessions SET status = $1, closed_at = $2,
		last_activity_at = GREATEST(last_activity_at, $3) WHERE id = $4`,
	setSessionLanguage: `UPDATE sessions SET language = $1 WHERE id = $2`,
	// The session row orders a session's turns across instances: BeginTurn
	// holds it until commit, so the in-flight check cannot race.
	lockSession:       `SELECT id FROM sessions WHERE id = $1 FOR UPDATE`,
	touchSession:      `UPDATE sessions SET last_activity_at = GREATEST(last_activity_at, $1) WHERE id = $2`,
	markClarification: `UPDATE sessions SET clarification_used = TRUE WHERE id = $1`,

	insertMessage: `INSERT INTO messages (` + messageColumns + `, owner)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
	messageByID: `SELECT ` + messageColumns + ` FROM messages WHERE id = $1`,
	messagesAfter: `SELECT ` + messageColumns + ` FROM messages
		WHERE session_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
	streamingReply: `SELECT id FROM messages WHERE session_id = $1 AND status = 'streaming' LIMIT 1`,
	idempotencyByKey: `SELECT request_hash, user_message_id, reply_message_id FROM idempotency_keys
		WHERE session_id = $1 AND client_message_id = $2`,
	insertIdempotency: `INSERT INTO idempotency_keys (session_id, client_message_id, request_hash,
		user_message_id, reply_message_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
	finishReply: `UPDATE messages SET status = $1, kind = COALESCE($2, kind), text = $3, sources = $4,
		language = COALESCE($5, language), error = $6, updated_at = $7
		WHERE id = $8 AND owner = $9 AND (status = 'streaming' OR (status = 'interrupted' AND error = $10))
		RETURNING ` + messageColumns,
	expireSecrets: `UPDATE channel_secrets SET expires_at = $1 WHERE channel_id = $2 AND kind = $3 AND expires_at IS NOT NULL AND expires_at > $4`,
	graceSecret:   `UPDATE channel_secrets SET expires_at = $1 WHERE channel_id = $2 AND kind = $3 AND expires_at IS NULL`,
	insertSecret: `INSERT INTO channel_secrets (id, channel_id, kind, ciphertext, hash, hint, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)`,
	validSecrets: `SELECT id, channel_id, kind, ciphertext, hash, hint, created_at, expires_at FROM channel_secrets
		WHERE channel_id = $1 AND kind = $2 AND (expires_at IS NULL OR expires_at > $3)
		ORDER BY expires_at IS NOT NULL, created_at DESC, id DESC`,
	pruneAssertions:    `DELETE FROM assertion_replays WHERE expires_at <= $1`,
	insertAssertion:    `INSERT INTO assertion_replays (channel_id, issuer, jti, expires_at) VALUES ($1, $2, $3, $4)`,
	setSessionToken:    `UPDATE sessions SET token_hash = $1 WHERE id = $2`,
	sessionExists:      `SELECT 1 FROM sessions WHERE id = $1`,
	insertSessionToken: `INSERT INTO session_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)`,
	pruneSessionTokens: `DELETE FROM session_tokens WHERE session_id = $1 AND token_hash NOT IN
		(SELECT token_hash FROM session_tokens WHERE session_id = $2 ORDER BY created_at DESC, token_hash DESC LIMIT $3)`,
	deleteSessionTokens:        `DELETE FROM session_tokens WHERE session_id = $1`,
	sessionsOfContact:          `SELECT id FROM sessions WHERE contact_id = $1`,
	deleteContactSessionTokens: `DELETE FROM session_tokens WHERE session_id IN (SELECT id FROM sessions WHERE contact_id = $1)`,
	restartReply: `UPDATE messages SET status = 'streaming', text = '', sources = $1, error = '', updated_at = $2, owner = $3
		WHERE id = $4 AND role = 'assistant' AND status IN ('interrupted', 'failed')
		RETURNING ` + messageColumns,
	sessionOfMessage: `SELECT session_id FROM messages WHERE id = $1`,
	interruptStreaming: `UPDATE messages SET status = 'interrupted',
		error = CASE WHEN error = '' THEN $1 ELSE error END, updated_at = $2
		WHERE status = 'streaming' AND NOT EXISTS (SELECT 1 FROM instances
			WHERE instances.id = messages.owner AND instances.seen_at >= $3)
		AND (owner <> '' OR updated_at < $3)`,
	heartbeat: `INSERT INTO instances (id, seen_at) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`,
	pruneInstances: `DELETE FROM instances WHERE seen_at < $1`,
	clock:          `SELECT clock_timestamp()`,

	// The counter row lock is held until commit: concurrent tickets queue
	// behind it and never see the same number.
	nextTicketNumber: `UPDATE ticket_counter SET last_number = last_number + 1 WHERE id = 1
		RETURNING last_number`,
	insertTicket: `INSERT INTO tickets (id, seq, number, channel_id, session_id, contact_id, priority,
		"trigger", status, summary, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
	ticketsBySession: `SELECT ` + ticketColumns + ` FROM tickets WHERE session_id = $1 ORDER BY seq`,
}
