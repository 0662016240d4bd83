package sqlstore

// queries holds every SQL statement the store runs, one value per dialect
// (queries_sqlite.go, queries_postgres.go). The logic files never build SQL;
// they pick a statement from here, so a dialect difference is always visible
// side by side in the two files.
type queries struct {
	// Migrations.
	migrationLock         string // empty when the write transaction itself is the lock
	createMigrationsTable string
	schemaVersion         string
	recordMigration       string

	// Channels.
	insertChannel        string
	channelByKey         string
	channelByID          string
	listChannels         string
	lockChannel          string
	updateChannelDraft   string
	insertChannelVersion string
	setPublishedVersion  string
	deleteChannel        string

	// Agents.
	insertAgent string
	agentByID   string
	agentByName string
	updateAgent string

	// Knowledge.
	insertCollection   string
	collectionByName   string
	collectionByID     string
	listCollections    string
	documentBySource   string
	insertDocument     string
	updateDocument     string
	deleteChunks       string
	insertChunk        string
	listDocuments      string
	deleteDocument     string
	chunksByCollection string

	// Contacts and sessions.
	upsertContact      string
	contactByID        string
	insertSession      string
	sessionByID        string
	sessionByTokenHash string
	latestSession      string
	setSessionStatus   string
	setSessionLanguage string
	lockSession        string
	touchSession       string
	markClarification  string

	// Messages and turns.
	insertMessage      string
	messageByID        string
	messagesAfter      string
	streamingReply     string
	idempotencyByKey   string
	insertIdempotency  string
	finishReply        string
	restartReply       string
	sessionOfMessage   string
	interruptStreaming string
	heartbeat          string
	clock              string // empty: the store's own clock
	pruneInstances     string

	// Identity.
	expireSecrets   string
	graceSecret     string
	insertSecret    string
	validSecrets    string
	pruneAssertions string
	insertAssertion string
	setSessionToken string
	// Extra credentials of a session (session_tokens).
	sessionExists       string
	insertSessionToken  string
	pruneSessionTokens  string
	deleteSessionTokens string
	// A signed-in user's logout: every session of the contact.
	sessionsOfContact          string
	deleteContactSessionTokens string

	// Tickets.
	nextTicketNumber string
	insertTicket     string
	ticketsBySession string
}

// Column lists shared by both dialects, in the order the scan functions read
// them. They are plain identifiers, identical in SQLite and PostgreSQL.
const (
	channelColumns = `c.id, c.key, c.draft_config, c.created_at, c.updated_at,
		v.version, v.config, v.published_at`
	channelFrom = ` FROM channels c
		LEFT JOIN channel_versions v ON v.channel_id = c.id AND v.version = c.published_version`
	agentColumns = `id, name, instructions, provider, model, collection_id,
		suggested_questions, escalation_language, created_at, updated_at`
	collectionColumns = `id, name, created_at`
	documentColumns   = `id, collection_id, source, title, url, content_type,
		content_hash, created_at, updated_at`
	chunkColumns = `id, document_id, collection_id, ordinal, heading_path, text,
		title, url, source`
	contactColumns = `id, channel_id, kind, external_id, attributes, created_at, updated_at`
	sessionColumns = `id, channel_id, contact_id, token_hash, status, language,
		clarification_used, created_at, last_activity_at, closed_at, agent_id`
	messageColumns = `id, session_id, role, kind, status, text, client_message_id,
		sources, language, error, created_at, updated_at`
	ticketColumns = `id, number, channel_id, session_id, contact_id, priority,
		"trigger", status, summary, created_at, updated_at`
)
