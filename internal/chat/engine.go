// Package chat owns the conversation engine: starting, resuming and closing
// sessions, the greeting, and answering a visitor's message (durable user
// message first, retrieval from the agent's collection only, a provider that
// streams the reply, exactly one final state per reply). It knows nothing of
// HTTP: callers pass a Sink for streamed output and get errs.Error values back.
package chat

import (
	"context"
	"log/slog"
	"time"

	"github.com/docentchat/docent/internal/assistant"
	"github.com/docentchat/docent/internal/knowledge"
	"github.com/docentchat/docent/internal/store"
)

// Store is what the engine needs from persistence.
type Store interface {
	Channel(ctx context.Context, key string) (store.Channel, error)
	ChannelByID(ctx context.Context, id string) (store.Channel, error)
	Agent(ctx context.Context, id string) (store.Agent, error)
	UpsertContact(ctx context.Context, c store.Contact) (store.Contact, error)
	Contact(ctx context.Context, id string) (store.Contact, error)
	LatestSession(ctx context.Context, channelID, contactID string, statuses []store.SessionStatus, since time.Time) (store.Session, error)
	SetSessionToken(ctx context.Context, sessionID string, tokenHash []byte) error
	AddSessionToken(ctx context.Context, sessionID string, tokenHash []byte, at time.Time) error
	RevokeContactCredentials(ctx context.Context, contactID string) error
	UseAssertion(ctx context.Context, channelID, issuer, jti string, expiresAt, now time.Time) error
	CreateSession(ctx context.Context, s store.Session, greeting *store.Message) (store.Session, error)
	SessionByTokenHash(ctx context.Context, tokenHash []byte) (store.Session, error)
	SetSessionStatus(ctx context.Context, id string, status store.SessionStatus, at time.Time) error
	SetSessionLanguage(ctx context.Context, id string, language string) error
	BeginTurn(ctx context.Context, t store.TurnStart) (store.Turn, error)
	RestartReply(ctx context.Context, messageID, owner string, at time.Time) (store.Message, error)
	FinishReply(ctx context.Context, r store.ReplyResult) (store.Message, error)
	Messages(ctx context.Context, sessionID string, afterID string, limit int) ([]store.Message, error)
}

// Retriever searches one collection.
type Retriever interface {
	Search(collectionID, query string, k int) []knowledge.Hit
}

// Limits bound what one visitor can make the engine do.
type Limits struct {
	MaxMessageChars int           // longer messages are refused (413 message_too_long)
	SessionIdle     time.Duration // a session idle longer than this is not resumed
	HistoryTurns    int           // earlier messages given to the provider
	Passages        int           // retrieved chunks given to the provider
	MaxOutputTokens int
}

// DefaultLimits are the limits used unless configured otherwise.
func DefaultLimits() Limits {
	return Limits{MaxMessageChars: 4000, SessionIdle: 24 * time.Hour, HistoryTurns: 12, Passages: 5, MaxOutputTokens: 800}
}

// Options build an Engine.
type Options struct {
	Store     Store
	Retriever Retriever
	Providers map[string]assistant.Provider
	Keys      Keys
	Logger    *slog.Logger
	Metrics   Metrics
	Limits    Limits
	// BaseURL resolves relative citation links (documents served by Docent itself).
	BaseURL string
	// Instance names this process: the replies it streams are its own, and
	// only its stopping lets another instance's sweep end them (store.Heartbeat).
	Instance string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Metrics receives engine events; the metrics package implements it.
type Metrics interface {
	SessionStarted(channel string, resumed bool)
	ReplyFinished(channel string, kind store.Kind, status store.MessageStatus, d time.Duration)
}

// Engine runs conversations. It is safe for concurrent use.
type Engine struct {
	opts Options
}

// New returns an Engine.
func New(opts Options) *Engine {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits()
	}
	if opts.Metrics == nil {
		opts.Metrics = nopMetrics{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Engine{opts: opts}
}

func (e *Engine) now() time.Time { return e.opts.Now().UTC() }

type nopMetrics struct{}

func (nopMetrics) SessionStarted(string, bool)                                          {}
func (nopMetrics) ReplyFinished(string, store.Kind, store.MessageStatus, time.Duration) {}
