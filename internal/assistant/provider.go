// Package assistant owns how a reply is produced: the Provider interface that
// every answerer implements (the built-in extractive answerer, and later
// OpenAI-compatible and Anthropic models), and the request and reply types the
// chat engine exchanges with them. Providers stream by design: text reaches the
// caller delta by delta through Emit as it is produced.
package assistant

import (
	"context"

	"github.com/docentchat/docent/internal/store"
)

// Provider produces one reply.
type Provider interface {
	// Name is the provider id used in agent config (e.g. "extractive").
	Name() string
	// Stream answers req. It calls emit with successive text deltas, in order;
	// the concatenation of all deltas equals Reply.Text. If emit returns an error
	// (the visitor went away, the server is draining) or ctx ends, Stream stops
	// promptly and returns that error together with the partial Reply produced so
	// far. Any other failure returns a non-nil error and the partial Reply.
	Stream(ctx context.Context, req Request, emit func(delta string) error) (Reply, error)
}

// Request is everything a provider may use to answer. It carries no secret and
// nothing from any other conversation.
type Request struct {
	// Instructions are the agent's instructions (system prompt).
	Instructions string
	// Question is the visitor's latest message.
	Question string
	// History holds earlier turns of this conversation, oldest first, without Question.
	History []Turn
	// Passages are retrieved from the agent's collection only, best first.
	Passages []Passage
	// Language is the BCP 47 primary tag (e.g. "en", "de", "zh-TW") to reply in.
	Language string
	// MaxOutputTokens caps the reply length (server-side; never from the client).
	MaxOutputTokens int
}

// Turn is one earlier message of the conversation.
type Turn struct {
	Role store.Role
	Text string
}

// Passage is a retrieved chunk with its retrieval evidence.
type Passage struct {
	Title       string
	URL         string
	Source      string // path of the document within its collection
	HeadingPath []string
	Text        string
	// Score is the retrieval score (higher is better, unnormalized).
	Score float64
	// Coverage is the fraction (0..1) of the question's distinct search terms that
	// occur in this passage: a scale-free measure of evidence strength.
	Coverage float64
}

// Reply is a finished (or partial) reply.
type Reply struct {
	Kind    store.Kind // answer | partial | notice (nothing relevant found)
	Text    string
	Sources []store.Source
	Usage   Usage
}

// Usage counts tokens for budgets and the QA surface.
type Usage struct {
	InputTokens  int
	OutputTokens int
}

// Planner is implemented by providers that know the kind of their reply before
// streaming it (the extractive answerer decides from retrieval evidence), so
// that the stream's start event can announce it.
type Planner interface {
	Plan(req Request) store.Kind
}
