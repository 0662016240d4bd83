package chat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/docentchat/docent/internal/assistant"
	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/locale"
	"github.com/docentchat/docent/internal/store"
)

// ErrDraining is the cancellation cause when the server shuts down mid-reply.
var ErrDraining = errors.New("server is shutting down")

// errVisitorGone marks a stream that stopped because output could not be delivered.
var errVisitorGone = errors.New("visitor connection lost")

// Sink receives a reply as it is produced. Its methods are called from the
// goroutine that called Send, in order: Start, Delta…, Sources.
type Sink interface {
	Start(messageID string, kind store.Kind) error
	Delta(text string) error
	Sources(sources []store.Source) error
}

// SendRequest is one visitor message.
type SendRequest struct {
	SessionToken    string
	Text            string
	ClientMessageID string
	// ExchangeToken is the bearer token on exchange channels.
	ExchangeToken string
	// Language is the language the visitor picked in the widget's language
	// menu (a BCP 47 tag); when it names a shipped language it becomes the
	// session's sticky language before this reply. Empty: keep the session's.
	Language string
}

// Result is the outcome of a turn.
type Result struct {
	Reply     store.Message
	Session   store.Session
	ChatEnded bool
	// TicketNumber is set when the turn escalated to a human.
	TicketNumber string
	// Replayed is true when the reply was returned from an earlier identical request.
	Replayed bool
	// Debug is the QA view of the turn; set only on channels whose persona is test.
	Debug *TurnDebug
}

// TurnDebug is what the test persona's QA surface shows about one reply
// (PROTOCOL §3): retrieval, provider and model, tokens and latencies.
type TurnDebug struct {
	Provider     string         `json:"provider"`
	Model        string         `json:"model"`
	Language     string         `json:"language"`
	Passages     []DebugPassage `json:"passages"`
	InputTokens  int            `json:"input_tokens"`
	OutputTokens int            `json:"output_tokens"`
	RetrievalMS  float64        `json:"retrieval_ms"`
	FirstTokenMS float64        `json:"first_token_ms"`
	TotalMS      float64        `json:"total_ms"`
}

// DebugPassage is one retrieved passage with its scores.
type DebugPassage struct {
	Title    string  `json:"title"`
	URL      string  `json:"url,omitempty"`
	Source   string  `json:"source,omitempty"`
	Score    float64 `json:"score"`
	Coverage float64 `json:"coverage"`
}

// Send answers one visitor message. The message is durably stored before any
// provider call; the reply ends complete, interrupted (partial text kept) or
// failed. When ctx ends (the visitor left, or the server drains: cause
// ErrDraining) the provider is stopped and the partial reply kept.
func (e *Engine) Send(ctx context.Context, req SendRequest, sink Sink) (Result, error) {
	text := strings.TrimSpace(req.Text)
	if text == "" {
		return Result{}, errs.New(errs.Invalid, "empty_message", "the message is empty")
	}
	if !utf8.ValidString(req.Text) {
		return Result{}, errs.New(errs.Invalid, "invalid_field", "the message is not valid UTF-8")
	}
	// No keyboard types NUL, and PostgreSQL text cannot hold it: refuse it on
	// every database alike rather than fail at the write.
	if strings.ContainsRune(req.Text, 0) {
		return Result{}, errs.New(errs.Invalid, "invalid_field", "the message contains a NUL character")
	}
	if n := utf8.RuneCountInString(text); n > e.opts.Limits.MaxMessageChars {
		return Result{}, errs.New(errs.TooLarge, "message_too_long", "the message is longer than the limit")
	}
	if !validClientMessageID(req.ClientMessageID) {
		return Result{}, errs.New(errs.Invalid, "invalid_field", "client_message_id must be 1–128 characters of [A-Za-z0-9_.:-]")
	}
	s, err := e.liveSession(ctx, req.SessionToken)
	if err != nil {
		return Result{}, err
	}
	if s.Status == store.SessionClosed {
		return Result{}, errs.New(errs.Conflict, "session_closed", "this conversation has ended; start a new chat")
	}
	ch, err := e.opts.Store.ChannelByID(ctx, s.ChannelID)
	if err != nil {
		return Result{}, storeErr(err)
	}
	if ch.Published == nil {
		return Result{}, errs.New(errs.NotFound, "channel_not_found", "this channel is not published")
	}
	if err := e.checkExchange(ctx, ch, s, req.ExchangeToken); err != nil {
		return Result{}, err
	}
	if cfg := ch.Published.Config; cfg.IdentityRequired && cfg.IdentityMode != store.IdentityExchange { // exchange: checked above
		if _, err := e.checkRequired(ctx, ch, s); err != nil {
			return Result{}, err
		}
	}
	// A language the visitor picked applies from this message on. It is
	// recorded only once the message is accepted: a refused send writes
	// nothing.
	lang := s.Language
	if l := locale.Normalize(req.Language); l != "" {
		lang = l
	}
	agent, err := e.opts.Store.Agent(ctx, sessionAgent(ch, s))
	if err != nil {
		return Result{}, errs.Wrap(errs.Unavailable, "assistant_unavailable", "this channel has no assistant configured", err)
	}
	provider, ok := e.opts.Providers[agent.Provider]
	if !ok {
		return Result{}, errs.New(errs.Unavailable, "assistant_unavailable", "the assistant of this channel is not available")
	}

	sum := sha256.Sum256([]byte(text))
	turn, err := e.opts.Store.BeginTurn(ctx, store.TurnStart{Owner: e.opts.Instance, SessionID: s.ID, ClientMessageID: req.ClientMessageID,
		RequestHash: hex.EncodeToString(sum[:]), Text: text, Language: lang, At: e.now()})
	switch {
	case errors.Is(err, store.ErrIdempotencyKeyReused):
		return Result{}, errs.New(errs.Conflict, "idempotency_key_reused", "this client_message_id was already used for another message")
	case errors.Is(err, store.ErrReplyInProgress):
		return Result{}, errs.New(errs.Conflict, "reply_in_progress", "a reply is still being written in this conversation")
	case err != nil:
		return Result{}, storeErr(err)
	}
	if lang != s.Language {
		// The message is stored; the session's language is a preference,
		// which the next message with one sets again if this write fails.
		if err := e.opts.Store.SetSessionLanguage(ctx, s.ID, lang); err != nil {
			e.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "session language not saved", slog.String("session", s.ID), slog.Any("error", err))
		}
		s.Language = lang
	}
	if turn.Replayed {
		if turn.Reply.Status == store.StatusComplete {
			return e.replay(s, turn.Reply, sink)
		}
		if turn.Reply.Status == store.StatusStreaming {
			return Result{}, errs.New(errs.Conflict, "reply_in_progress", "a reply is still being written in this conversation")
		}
		// An interrupted or failed reply is generated again on retry with the same key.
		reply, err := e.opts.Store.RestartReply(ctx, turn.Reply.ID, e.opts.Instance, e.now())
		if errors.Is(err, store.ErrReplyInProgress) {
			return Result{}, errs.New(errs.Conflict, "reply_in_progress", "a reply is still being written in this conversation")
		} else if err != nil {
			return Result{}, storeErr(err)
		}
		turn.Reply = reply
	}
	return e.answer(ctx, s, ch, agent, provider, turn, sink)
}

func (e *Engine) answer(ctx context.Context, s store.Session, ch store.Channel, agent store.Agent, provider assistant.Provider, turn store.Turn, sink Sink) (Result, error) {
	started := time.Now()
	var dbg *TurnDebug
	if ch.Published.Config.Persona == store.PersonaTest {
		dbg = &TurnDebug{Provider: agent.Provider, Model: agent.Model, Language: s.Language, Passages: []DebugPassage{}}
	}
	req := assistant.Request{Instructions: agent.Instructions, Question: turn.UserMessage.Text, Language: s.Language,
		MaxOutputTokens: e.opts.Limits.MaxOutputTokens}
	for _, hit := range e.opts.Retriever.Search(agent.CollectionID, turn.UserMessage.Text, e.opts.Limits.Passages) {
		c := hit.Chunk
		req.Passages = append(req.Passages, assistant.Passage{Title: c.Title, URL: c.URL, Source: c.Source,
			HeadingPath: c.HeadingPath, Text: c.Text, Score: hit.Score, Coverage: hit.Coverage})
		if dbg != nil {
			dbg.Passages = append(dbg.Passages, DebugPassage{Title: c.Title, URL: e.resolveURL(c.URL), Source: c.Source,
				Score: hit.Score, Coverage: hit.Coverage})
		}
	}
	if dbg != nil {
		dbg.RetrievalMS = ms(time.Since(started))
	}
	req.History = e.history(ctx, s.ID, turn.UserMessage.ID)

	kind := store.KindAnswer
	if p, ok := provider.(assistant.Planner); ok {
		kind = p.Plan(req)
	}
	reply, streamErr := func() (assistant.Reply, error) {
		if err := sink.Start(turn.Reply.ID, kind); err != nil {
			return assistant.Reply{}, err
		}
		return provider.Stream(ctx, req, func(delta string) error {
			if dbg != nil && dbg.FirstTokenMS == 0 {
				dbg.FirstTokenMS = ms(time.Since(started))
			}
			if err := sink.Delta(delta); err != nil {
				return errors.Join(errVisitorGone, err)
			}
			return nil
		})
	}()

	result := store.ReplyResult{Owner: e.opts.Instance, MessageID: turn.Reply.ID, Status: store.StatusComplete, Kind: reply.Kind, Text: reply.Text,
		Sources: e.resolveSources(reply.Sources), Language: s.Language, At: e.now()}
	if result.Kind == "" {
		result.Kind = kind
	}
	var failure error
	if streamErr != nil {
		result.Status, result.Error, failure = e.classify(ctx, streamErr, reply.Text)
		e.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "reply did not complete", slog.String("session", s.ID),
			slog.String("status", string(result.Status)), slog.String("code", result.Error), slog.String("error", streamErr.Error()))
	}
	// The final write must happen even when the visitor has gone.
	writeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	stored, err := e.opts.Store.FinishReply(writeCtx, result)
	if err != nil {
		return Result{}, storeErr(err)
	}
	e.opts.Metrics.ReplyFinished(ch.Key, stored.Kind, stored.Status, time.Since(started))
	if dbg != nil {
		dbg.InputTokens, dbg.OutputTokens = reply.Usage.InputTokens, reply.Usage.OutputTokens
		dbg.TotalMS = ms(time.Since(started))
	}
	if failure != nil {
		return Result{Reply: stored, Session: s}, failure
	}
	if len(stored.Sources) > 0 {
		if err := sink.Sources(stored.Sources); err != nil {
			return Result{Reply: stored, Session: s, Debug: dbg}, nil
		}
	}
	return Result{Reply: stored, Session: s, Debug: dbg}, nil
}

// ms is a duration in milliseconds with microsecond precision.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// classify maps a stream error to the reply's final status and the error the
// caller reports.
func (e *Engine) classify(ctx context.Context, err error, partial string) (store.MessageStatus, string, error) {
	if ctx.Err() != nil || errors.Is(err, errVisitorGone) {
		if errors.Is(context.Cause(ctx), ErrDraining) {
			return store.StatusInterrupted, "draining", &errs.Error{Kind: errs.Unavailable, Code: "draining",
				Detail: "the server is restarting; send the message again to continue", RetryAfter: 2 * time.Second, Err: err}
		}
		return store.StatusInterrupted, "client_disconnected", errs.Wrap(errs.Unavailable, "client_disconnected", "the visitor disconnected", err)
	}
	if partial != "" {
		return store.StatusInterrupted, "assistant_failed", errs.Wrap(errs.Unavailable, "assistant_unavailable", "the assistant stopped before finishing; try again", err)
	}
	return store.StatusFailed, "assistant_unavailable", errs.Wrap(errs.Unavailable, "assistant_unavailable", "the assistant could not answer right now; try again", err)
}

func (e *Engine) replay(s store.Session, reply store.Message, sink Sink) (Result, error) {
	reply = e.present([]store.Message{reply})[0]
	if err := sink.Start(reply.ID, reply.Kind); err == nil {
		if reply.Text != "" {
			_ = sink.Delta(reply.Text)
		}
		if len(reply.Sources) > 0 {
			_ = sink.Sources(reply.Sources)
		}
	}
	return Result{Reply: reply, Session: s, Replayed: true}, nil
}

// history returns the earlier turns of the conversation, oldest first.
func (e *Engine) history(ctx context.Context, sessionID, beforeID string) []assistant.Turn {
	msgs, err := e.opts.Store.Messages(ctx, sessionID, "", 500)
	if err != nil {
		return nil
	}
	var turns []assistant.Turn
	for _, m := range msgs {
		if m.ID == beforeID {
			break
		}
		if m.Status == store.StatusComplete && m.Kind != store.KindGreeting && m.Text != "" {
			turns = append(turns, assistant.Turn{Role: m.Role, Text: m.Text})
		}
	}
	if n := e.opts.Limits.HistoryTurns; len(turns) > n {
		turns = turns[len(turns)-n:]
	}
	return turns
}

// present prepares stored messages for a visitor: relative citation links
// (documents Docent serves itself) become absolute.
func (e *Engine) present(msgs []store.Message) []store.Message {
	for i := range msgs {
		msgs[i].Sources = e.resolveSources(msgs[i].Sources)
	}
	return msgs
}

func (e *Engine) resolveSources(src []store.Source) []store.Source {
	out := make([]store.Source, len(src))
	for i, s := range src {
		s.URL = e.resolveURL(s.URL)
		out[i] = s
	}
	return out
}

// resolveURL makes a relative link to a document Docent serves absolute.
func (e *Engine) resolveURL(u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return e.opts.BaseURL + u
	}
	return u
}

func validClientMessageID(id string) bool {
	if id == "" {
		return true
	}
	if len(id) > 128 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:", r)) {
			return false
		}
	}
	return true
}
