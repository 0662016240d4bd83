// Package store owns Docent's persistent domain: the record types of every
// concept in the wire contract (channels and their published versions, agents,
// knowledge collections, documents and chunks, contacts, sessions, messages,
// tickets, idempotency keys) and the Store API that every database dialect
// implements. Implementations live in sub-packages; the behaviour they must share
// is pinned by the storetest suite, which runs against each of them.
package store

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Errors with a meaning callers branch on. Implementations wrap driver errors
// into these so that no caller ever inspects a dialect-specific error.
var (
	// ErrNotFound: no row matches (also used for rows owned by someone else).
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a unique key already exists (for example a channel key).
	ErrConflict = errors.New("store: conflict")
	// ErrIdempotencyKeyReused: a client_message_id was reused with other content.
	ErrIdempotencyKeyReused = errors.New("store: idempotency key reused with different content")
	// ErrReplyInProgress: the session already has a reply being generated.
	ErrReplyInProgress = errors.New("store: reply in progress")
	// ErrBusy: the database could not take the write lock in time.
	ErrBusy = errors.New("store: busy")
	// ErrSchemaTooNew: the database was migrated by a newer binary.
	ErrSchemaTooNew = errors.New("store: database schema is newer than this binary")
)

// Store is everything Docent persists. Every method takes a context first and
// is safe for concurrent use. Write methods are atomic: on error nothing is
// written.
type Store interface {
	ChannelStore
	AgentStore
	KnowledgeStore
	ConversationStore
	IdentityStore

	// Ping reports whether the database is reachable (readiness).
	Ping(ctx context.Context) error
	// Close releases connections.
	Close() error
}

// ChannelStore keeps channels: a draft that admins edit and immutable published
// versions that widgets read.
type ChannelStore interface {
	// CreateChannel inserts a channel with its draft config; ErrConflict if the key exists.
	CreateChannel(ctx context.Context, key string, draft ChannelConfig) (Channel, error)
	// Channel returns a channel (draft and the latest published version, if any) by key.
	Channel(ctx context.Context, key string) (Channel, error)
	// ChannelByID returns a channel by its internal id.
	ChannelByID(ctx context.Context, id string) (Channel, error)
	ListChannels(ctx context.Context) ([]Channel, error)
	// UpdateChannelDraft replaces the draft config. Widgets do not see it until published.
	UpdateChannelDraft(ctx context.Context, key string, draft ChannelConfig) (Channel, error)
	// PublishChannel snapshots the current draft as the next published version.
	PublishChannel(ctx context.Context, key string) (Channel, error)
	// DeleteChannel removes the channel and everything scoped to it.
	DeleteChannel(ctx context.Context, key string) error
}

// IdentityStore keeps what identity verification needs: channel secrets
// (encrypted signing secrets, hashed app secrets) with a rotation grace
// window, and the durable replay record of used assertions.
type IdentityStore interface {
	// RotateChannelSecret makes sec the channel's current secret of its kind,
	// in one transaction: the previous current secret stays valid until
	// graceUntil, any older one expires now. ErrNotFound for an unknown channel.
	RotateChannelSecret(ctx context.Context, sec ChannelSecret, graceUntil time.Time) error
	// ChannelSecrets returns the channel's secrets of a kind still valid at
	// at: the current one first, then previous ones, newest first.
	ChannelSecrets(ctx context.Context, channelID string, kind SecretKind, at time.Time) ([]ChannelSecret, error)
	// UseAssertion records that (channel, issuer, jti) was used; it returns
	// ErrConflict when it already was (a replay), across restarts and
	// instances. Records expire at expiresAt and are pruned after it.
	UseAssertion(ctx context.Context, channelID, issuer, jti string, expiresAt, now time.Time) error
	// SetSessionToken replaces a session's credential hash and revokes those
	// AddSessionToken added: every old session_id stops working at once
	// (identity upgrade, logout).
	SetSessionToken(ctx context.Context, sessionID string, tokenHash []byte) error
	// RevokeContactCredentials revokes every credential of every session of
	// a contact: a signed-in user's logout reaches all their tabs and
	// conversations, ended ones included.
	RevokeContactCredentials(ctx context.Context, contactID string) error
	// AddSessionToken gives a session another credential (a signed-in
	// visitor's next tab), keeping the newest MaxSessionTokens added ones;
	// ErrNotFound when there is no such session.
	AddSessionToken(ctx context.Context, sessionID string, tokenHash []byte, at time.Time) error
}

// MaxSessionTokens bounds the credentials AddSessionToken keeps per session:
// tabs (or devices) of one signed-in visitor open at the same time. The
// oldest is revoked when one more signs in.
const MaxSessionTokens = 8

// SecretKind names what a channel secret is for.
type SecretKind string

const (
	// SecretSigning verifies identity tokens and assertions; stored encrypted
	// because verification needs the secret itself.
	SecretSigning SecretKind = "signing"
	// SecretApp authenticates the token exchange; stored as a hash only.
	SecretApp SecretKind = "app"
)

// ChannelSecret is one stored secret: ciphertext (signing) or hash (app).
type ChannelSecret struct {
	ID         string
	ChannelID  string
	Kind       SecretKind
	Ciphertext []byte
	Hash       []byte
	Hint       string // e.g. "dsk_…Ab3x", safe to list
	CreatedAt  time.Time
	ExpiresAt  *time.Time // nil for the current secret
}

// AgentStore keeps agents: what answers on a channel.
type AgentStore interface {
	// CreateAgent inserts an agent; ErrConflict if the name exists.
	CreateAgent(ctx context.Context, a Agent) (Agent, error)
	Agent(ctx context.Context, id string) (Agent, error)
	AgentByName(ctx context.Context, name string) (Agent, error)
	UpdateAgent(ctx context.Context, a Agent) (Agent, error)
}

// KnowledgeStore keeps knowledge collections, their documents and chunks.
type KnowledgeStore interface {
	// EnsureCollection returns the collection with this name, creating it if needed.
	EnsureCollection(ctx context.Context, name string) (Collection, error)
	Collection(ctx context.Context, id string) (Collection, error)
	ListCollections(ctx context.Context) ([]Collection, error)
	// PutDocument stores a document and its chunks. When a document with the same
	// (collection, source) exists and its content hash is unchanged, nothing is
	// written and changed is false. When the hash differs, the document is updated
	// and its chunks replaced, in one transaction. The returned Document carries
	// its id; chunk ids and ordinals are assigned by the store.
	PutDocument(ctx context.Context, doc Document, chunks []Chunk) (stored Document, changed bool, err error)
	ListDocuments(ctx context.Context, collectionID string) ([]Document, error)
	// DeleteDocument removes a document and its chunks.
	DeleteDocument(ctx context.Context, documentID string) error
	// Chunks returns every chunk of a collection, ordered by document then ordinal.
	Chunks(ctx context.Context, collectionID string) ([]Chunk, error)
}

// ConversationStore keeps contacts, sessions, messages and tickets.
type ConversationStore interface {
	// UpsertContact finds the contact by (channel, kind, external id) or creates
	// it; attributes given replace the stored ones.
	UpsertContact(ctx context.Context, c Contact) (Contact, error)
	Contact(ctx context.Context, id string) (Contact, error)

	// CreateSession inserts a session. When greeting is non-nil it is stored as
	// the session's first message in the same transaction.
	CreateSession(ctx context.Context, s Session, greeting *Message) (Session, error)
	// SessionByTokenHash finds a session by the hash of one of its
	// credentials (a secret session_id): its first, or one AddSessionToken
	// added.
	SessionByTokenHash(ctx context.Context, tokenHash []byte) (Session, error)
	Session(ctx context.Context, id string) (Session, error)
	// LatestSession returns the contact's most recently active session on a
	// channel whose status is one of statuses and whose last activity is at or
	// after since; ErrNotFound if none.
	LatestSession(ctx context.Context, channelID, contactID string, statuses []SessionStatus, since time.Time) (Session, error)
	// SetSessionStatus changes the status (open → escalated → closed).
	SetSessionStatus(ctx context.Context, id string, status SessionStatus, at time.Time) error
	// SetSessionLanguage records the sticky conversation language.
	SetSessionLanguage(ctx context.Context, id string, language string) error

	// BeginTurn durably records a visitor message and a reply placeholder in
	// status streaming, in one transaction, before any model call:
	//   - if (session, client_message_id) was seen with the same request hash, it
	//     returns the earlier turn with Replayed=true and writes nothing;
	//   - with a different hash it returns ErrIdempotencyKeyReused;
	//   - if the session has a reply in status streaming it returns ErrReplyInProgress;
	//   - otherwise it inserts both messages, the idempotency record, and bumps
	//     the session's last activity.
	BeginTurn(ctx context.Context, t TurnStart) (Turn, error)
	// FinishReply stores the final state of a reply (complete, interrupted or
	// failed) with its text, kind and sources. It is the only other write of a
	// turn: replies are never written per token. Only the reply's owner may
	// finish it, and only while it streams; otherwise ErrNotFound.
	FinishReply(ctx context.Context, r ReplyResult) (Message, error)
	// RestartReply puts an interrupted or failed reply back in status streaming
	// (text cleared), now streamed by instance owner, so that a retry of the
	// same client_message_id answers again without recording the visitor's
	// message twice. ErrReplyInProgress if another reply of the session
	// streams; ErrNotFound if the reply is not interrupted or failed.
	RestartReply(ctx context.Context, messageID, owner string, at time.Time) (Message, error)
	// Messages lists a session's messages in creation order after the cursor
	// (exclusive; empty = from the start), at most limit of them.
	Messages(ctx context.Context, sessionID string, afterID string, limit int) ([]Message, error)
	// Clock is the time all instances sharing this database agree on: the
	// PostgreSQL server's clock; on SQLite, one host's, the store's own.
	// Heartbeats and sweeps use it, so hosts' clocks need not agree.
	Clock(ctx context.Context) (time.Time, error)
	// Heartbeat records that instance (one running Docent process) is alive
	// at at. Replies in status streaming belong to the instance streaming
	// them (TurnStart.Owner, RestartReply's owner).
	Heartbeat(ctx context.Context, instance string, at time.Time) error
	// InterruptStreaming marks interrupted every reply left in status
	// streaming by an instance that has sent no heartbeat at or after
	// staleBefore (it crashed or stopped), and forgets instances silent for a
	// day. A reply of no instance (written before replies had owners) counts
	// as such once it was last updated before staleBefore. Instances sharing a
	// database thus never end each other's live replies. It returns how many
	// replies changed.
	InterruptStreaming(ctx context.Context, at, staleBefore time.Time) (int, error)

	// CreateTicket opens an escalation ticket with the next human-readable number.
	CreateTicket(ctx context.Context, t Ticket) (Ticket, error)
	TicketsBySession(ctx context.Context, sessionID string) ([]Ticket, error)
}

// Persona is which visitor population a channel serves (PROTOCOL §3).
type Persona string

const (
	PersonaPublic   Persona = "public"
	PersonaCustomer Persona = "customer"
	PersonaEmployee Persona = "employee"
	PersonaTest     Persona = "test"
)

// IdentityMode is how a channel identifies logged-in users (PROTOCOL §6).
type IdentityMode string

const (
	IdentityNone     IdentityMode = "none"
	IdentitySigned   IdentityMode = "signed"
	IdentityDirect   IdentityMode = "direct"
	IdentityExchange IdentityMode = "exchange"
)

// ChannelConfig is the editable, publishable part of a channel. It is stored
// as one document per version so that adding a field needs no migration.
type ChannelConfig struct {
	Title            string       `json:"title"`
	Greeting         string       `json:"greeting,omitempty"` // empty: the localized default
	Language         string       `json:"language"`           // channel default language, e.g. "en"
	Locales          []string     `json:"locales,omitempty"`
	Position         string       `json:"position"` // bottom-right | bottom-left
	LauncherLabel    string       `json:"launcher_label,omitempty"`
	LauncherIconURL  string       `json:"launcher_icon_url,omitempty"`
	BaseColor        string       `json:"base_color,omitempty"`
	Persona          Persona      `json:"persona"`
	AllowedOrigins   []string     `json:"allowed_origins"` // canonical origins; empty = see PROTOCOL §3
	IdentityMode     IdentityMode `json:"identity_mode"`
	IdentityRequired bool         `json:"identity_required"`
	Issuer           string       `json:"issuer,omitempty"`
	// MaxTokenLifetimeSeconds caps exp−iat of identity tokens (0 = default 24 h).
	MaxTokenLifetimeSeconds int `json:"max_token_lifetime_seconds,omitempty"`
	// ExchangeTokenTTLSeconds is the lifetime of exchange tokens (0 = 15 min).
	ExchangeTokenTTLSeconds int    `json:"exchange_token_ttl_seconds,omitempty"`
	AgentID                 string `json:"agent_id"`
	// OverrideAgents are further agents an embed may pick with agent_id
	// (data-agent-id / init agentId); any other requested agent is ignored.
	OverrideAgents []string `json:"override_agents,omitempty"`
}

// EmbeddableAnywhere reports whether any site may embed the channel: only a
// public channel without identity and with an empty allow-list (PROTOCOL §3).
// Any other channel with an empty list may be embedded nowhere (fail closed).
func (c ChannelConfig) EmbeddableAnywhere() bool {
	return len(c.AllowedOrigins) == 0 && c.Persona == PersonaPublic && (c.IdentityMode == IdentityNone || c.IdentityMode == "")
}

// AllowsOrigin reports whether a browser on origin (canonical) may use the channel.
func (c ChannelConfig) AllowsOrigin(origin string) bool {
	return c.EmbeddableAnywhere() || slices.Contains(c.AllowedOrigins, origin)
}

// Channel is one embeddable widget.
type Channel struct {
	ID        string
	Key       string
	Draft     ChannelConfig
	CreatedAt time.Time
	UpdatedAt time.Time
	// Published is the latest published version; nil until first published.
	Published *ChannelVersion
}

// ChannelVersion is an immutable published snapshot of a channel's config.
type ChannelVersion struct {
	Version     int
	Config      ChannelConfig
	PublishedAt time.Time
}

// Agent is what answers: provider, model, instructions and knowledge.
type Agent struct {
	ID                 string
	Name               string
	Instructions       string
	Provider           string // extractive | openai | anthropic
	Model              string
	CollectionID       string
	SuggestedQuestions []string
	EscalationLanguage string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Collection is a named set of documents indexed together.
type Collection struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

// Document is one ingested source (a file or a URL).
type Document struct {
	ID           string
	CollectionID string
	// Source identifies the document within its collection (path or URL); the
	// (collection, source) pair is unique.
	Source      string
	Title       string
	URL         string // public link for citations, may be empty
	ContentType string // text/markdown, text/html, text/plain
	ContentHash string // hex SHA-256 of the raw content
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Chunk is a retrievable passage of a document.
type Chunk struct {
	ID           string
	DocumentID   string
	CollectionID string
	Ordinal      int
	// HeadingPath is the chain of headings above the passage, outermost first.
	HeadingPath []string
	Text        string
	// Denormalized from the document for citations without a join.
	Title  string
	URL    string
	Source string
}

// ContactKind tells how a contact was identified (PROTOCOL §1).
type ContactKind string

const (
	ContactAnonymous ContactKind = "anonymous"
	ContactVerified  ContactKind = "verified"
	ContactDirect    ContactKind = "direct"
)

// Contact is who is talking, scoped to a channel.
type Contact struct {
	ID         string
	ChannelID  string
	Kind       ContactKind
	ExternalID string // visitor id (anonymous), user id (verified, direct)
	Attributes ContactAttributes
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ContactAttributes are the KYC claims of a verified contact.
type ContactAttributes struct {
	Email       string `json:"email,omitempty"`
	Name        string `json:"name,omitempty"`
	PlanTier    string `json:"plan_tier,omitempty"`
	AudienceTag string `json:"audience_tag,omitempty"`
	Company     string `json:"company,omitempty"`
	Locale      string `json:"locale,omitempty"`
}

// SessionStatus is a conversation's lifecycle state.
type SessionStatus string

const (
	SessionOpen      SessionStatus = "open"
	SessionEscalated SessionStatus = "escalated"
	SessionClosed    SessionStatus = "closed"
)

// Session is one conversation. Its secret session_id is never stored: only its
// SHA-256 hash is.
type Session struct {
	ID                string // UUIDv7, safe to show to admins and in logs
	ChannelID         string
	ContactID         string
	TokenHash         []byte
	Status            SessionStatus
	Language          string
	ClarificationUsed bool
	CreatedAt         time.Time
	LastActivityAt    time.Time
	ClosedAt          *time.Time
	// AgentID, when set, answers instead of the channel's agent (an embed's
	// agent_id the channel allows in OverrideAgents); empty: the channel's.
	AgentID string
}

// Role is who wrote a message.
type Role string

const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleAgent     Role = "agent"
	RoleSystem    Role = "system"
)

// Kind is what a message is for (PROTOCOL §1).
type Kind string

const (
	KindAnswer        Kind = "answer"
	KindPartial       Kind = "partial"
	KindClarification Kind = "clarification"
	KindEscalation    Kind = "escalation"
	KindGreeting      Kind = "greeting"
	KindHuman         Kind = "human"
	KindNotice        Kind = "notice"
	// KindQuestion marks a visitor's message.
	KindQuestion Kind = "question"
)

// MessageStatus is how a message ended.
type MessageStatus string

const (
	StatusComplete    MessageStatus = "complete"
	StatusStreaming   MessageStatus = "streaming"
	StatusInterrupted MessageStatus = "interrupted"
	StatusFailed      MessageStatus = "failed"
)

// Source is a citation attached to an assistant message.
type Source struct {
	Title   string  `json:"title"`
	URL     string  `json:"url,omitempty"`
	Path    string  `json:"path,omitempty"`
	Snippet string  `json:"snippet"`
	Score   float64 `json:"score,omitempty"`
}

// Message is one entry of a transcript.
type Message struct {
	ID              string // UUIDv7; ids sort in creation order
	SessionID       string
	Role            Role
	Kind            Kind
	Status          MessageStatus
	Text            string
	ClientMessageID string
	Sources         []Source
	Language        string
	// Error is a stable code explaining a failed or interrupted reply.
	Error     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TurnStart is a visitor message about to be answered.
type TurnStart struct {
	Owner           string // the instance that streams the reply (see Store.Heartbeat)
	SessionID       string
	ClientMessageID string // optional; empty disables idempotency for the turn
	RequestHash     string // hash of the request content, to detect key reuse
	Text            string
	Language        string
	At              time.Time
}

// Turn is a recorded visitor message and its reply placeholder (or, when
// Replayed, the earlier turn with the reply in whatever state it reached).
type Turn struct {
	UserMessage Message
	Reply       Message
	Replayed    bool
}

// ReplyResult is the final state of a reply.
type ReplyResult struct {
	Owner     string // the instance streaming the reply: only its result is stored
	MessageID string
	Status    MessageStatus // complete | interrupted | failed
	Kind      Kind
	Text      string
	Sources   []Source
	Language  string
	Error     string
	At        time.Time
}

// TicketPriority orders the escalation inbox.
type TicketPriority string

const (
	PriorityLow      TicketPriority = "low"
	PriorityMedium   TicketPriority = "medium"
	PriorityHigh     TicketPriority = "high"
	PriorityCritical TicketPriority = "critical"
)

// Ticket is an escalation to a human.
type Ticket struct {
	ID        string
	Number    string // human-readable, e.g. T-1042; assigned by the store
	ChannelID string
	SessionID string
	ContactID string
	Priority  TicketPriority
	Trigger   string // user_request | no_answer | quality_check | manual
	Status    string // open | pending | closed
	Summary   string
	CreatedAt time.Time
	UpdatedAt time.Time
}
