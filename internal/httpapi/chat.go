package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/docentchat/docent/internal/chat"
	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/store"
)

// chatRequest is the body of POST /widget/chat (PROTOCOL §5).
type chatRequest struct {
	SessionID       string  `json:"session_id"`
	Message         *string `json:"message"`
	ClientMessageID string  `json:"client_message_id"`
	// Language is the widget's language menu choice (a BCP 47 tag); the reply
	// and the rest of the conversation use it.
	Language string `json:"language"`
}

// chatResponse is the non-streaming reply, also the data of the `done` event.
type chatResponse struct {
	Text         string         `json:"text"`
	SessionID    string         `json:"session_id"`
	ChatEnded    bool           `json:"chat_ended"`
	TicketNumber *string        `json:"ticket_number"`
	MessageID    string         `json:"message_id"`
	Kind         string         `json:"kind"`
	Status       string         `json:"status"`
	Sources      []store.Source `json:"sources"`
	Language     string         `json:"language"`
	Replayed     bool           `json:"replayed,omitempty"`
	// Debug: test-persona channels only (the frame's QA surface).
	Debug *chat.TurnDebug `json:"debug,omitempty"`
}

func toChatResponse(token string, res chat.Result) chatResponse {
	out := chatResponse{Text: res.Reply.Text, SessionID: token, ChatEnded: res.ChatEnded, MessageID: res.Reply.ID,
		Kind: string(res.Reply.Kind), Status: string(res.Reply.Status), Sources: res.Reply.Sources, Language: res.Reply.Language,
		Replayed: res.Replayed, Debug: res.Debug}
	if out.Sources == nil {
		out.Sources = []store.Source{}
	}
	if res.TicketNumber != "" {
		out.TicketNumber = &res.TicketNumber
	}
	return out
}

func (a *API) chat(w http.ResponseWriter, r *http.Request) error {
	var req chatRequest
	if err := decodeJSON(w, r, &req); err != nil {
		if errs.CodeOf(err) == "payload_too_large" {
			// A chat body over the cap is a message over it (PROTOCOL §5).
			return errs.New(errs.TooLarge, "message_too_long", "the message is longer than the limit")
		}
		return err
	}
	if req.Message == nil {
		return errs.New(errs.Invalid, "empty_message", "the message is missing")
	}
	token := sessionToken(r, req.SessionID)
	send := chat.SendRequest{SessionToken: token, Text: *req.Message, ClientMessageID: req.ClientMessageID, Language: req.Language}
	if len(req.Language) > 35 {
		return errs.New(errs.Invalid, "invalid_field", "language must be a BCP 47 language tag")
	}
	if req.SessionID != "" {
		send.ExchangeToken = bearer(r)
	}
	if wantsStream(r) {
		return a.guardSession(r, func() error { return a.chatStream(w, r, token, send) })
	}
	var res chat.Result
	err := a.guardSession(r, func() (err error) {
		res, err = a.opts.Engine.Send(a.replyContext(r), send, discardSink{})
		return err
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toChatResponse(token, res))
}

func wantsStream(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// replyContext ends when the visitor goes away or the server drains (cause
// chat.ErrDraining), whichever comes first.
func (a *API) replyContext(r *http.Request) context.Context {
	ctx, cancel := context.WithCancelCause(r.Context())
	stop := context.AfterFunc(a.opts.Drain, func() { cancel(chat.ErrDraining) })
	context.AfterFunc(ctx, func() { stop() })
	return ctx
}

// chatStream answers with SSE. Errors found before the reply starts (bad
// input, busy session) are still plain problem+json responses with a status;
// once the stream has begun, failures arrive as an `error` event.
func (a *API) chatStream(w http.ResponseWriter, r *http.Request, token string, send chat.SendRequest) error {
	sink := &sseSink{api: a, w: w}
	defer sink.close()
	res, err := a.opts.Engine.Send(a.replyContext(r), send, sink)
	if err != nil {
		if sink.sse == nil {
			return err
		}
		e, ok := errs.As(err)
		code, detail := "internal", "the reply could not be completed"
		if ok && e.Kind != errs.Internal {
			code, detail = e.Code, e.Detail
		}
		_ = sink.sse.Event("error", map[string]any{"code": code, "detail": detail, "retryable": code != "internal",
			"message_id": res.Reply.ID, "partial_text": res.Reply.Text})
		return nil
	}
	sink.begin()
	_ = sink.sse.Event("done", toChatResponse(token, res))
	return nil
}

// sseSink adapts the engine's Sink to SSE events; the stream begins lazily on
// Start so that refusals before it keep their HTTP status.
type sseSink struct {
	api  *API
	w    http.ResponseWriter
	sse  *sseWriter
	stop chan struct{}
	done chan struct{}
}

func (s *sseSink) begin() {
	if s.sse != nil {
		return
	}
	s.sse = newSSEWriter(s.w)
	s.stop, s.done = make(chan struct{}), make(chan struct{})
	s.api.opts.Metrics.StreamOpened()
	go s.sse.keepAlive(s.api.opts.Heartbeat, s.stop, s.done)
}

func (s *sseSink) close() {
	if s.stop != nil {
		close(s.stop)
		<-s.done
		s.sse.shut()
		s.api.opts.Metrics.StreamClosed()
	}
}

func (s *sseSink) Start(id string, kind store.Kind) error {
	s.begin()
	return s.sse.Event("start", map[string]string{"message_id": id, "kind": string(kind)})
}

func (s *sseSink) Delta(text string) error {
	return s.sse.Event("delta", map[string]string{"text": text})
}

func (s *sseSink) Sources(src []store.Source) error {
	return s.sse.Event("sources", map[string]any{"sources": src})
}

// discardSink is used for non-streaming replies: the result carries everything.
type discardSink struct{}

func (discardSink) Start(string, store.Kind) error { return nil }
func (discardSink) Delta(string) error             { return nil }
func (discardSink) Sources([]store.Source) error   { return nil }
