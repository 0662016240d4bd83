package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/docentchat/docent/internal/chat"
	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/store"
)

// initRequest is the body of POST /widget/session/init (PROTOCOL §5).
type initRequest struct {
	Key            string       `json:"key"`
	BotID          string       `json:"bot_id"` // compat synonym of key
	IdentityToken  *string      `json:"identity_token"`
	Assertion      *string      `json:"assertion"`
	ExternalUserID *string      `json:"external_user_id"`
	SessionID      string       `json:"session_id"`
	ContactID      string       `json:"contact_id"`
	Locale         string       `json:"locale"`
	BrowserLocale  string       `json:"browser_locale"`
	HostOrigin     string       `json:"host_origin"`
	Persona        *personaJSON `json:"persona"`
	// Greeting overrides the channel greeting of a new session (loader intro message).
	Greeting string `json:"greeting"`
	// AgentID asks for another agent (see chat.InitRequest.AgentID).
	AgentID string `json:"agent_id"`
}

// personaJSON is the chat-embed-config payload a frame forwards (PROTOCOL §3).
type personaJSON struct {
	Mode             string `json:"mode"`
	UserID           any    `json:"user_id"`
	RequireUserID    *bool  `json:"require_user_id"`
	AllowGeneratedID *bool  `json:"allow_generated_id"`
	Direction        string `json:"direction"`
	Locale           string `json:"locale"`
}

// sessionResponse is the shape shared by init and new.
type sessionResponse struct {
	SessionID string        `json:"session_id"`
	Mode      string        `json:"mode"`
	Identity  identityJSON  `json:"identity"`
	Resumed   bool          `json:"resumed"`
	Status    string        `json:"status"`
	Language  string        `json:"language"`
	Messages  []messageJSON `json:"messages"`
	ChatEnded bool          `json:"chat_ended"`
	// Debug: test-persona channels only (the frame's QA surface).
	Debug *chat.SessionDebug `json:"debug,omitempty"`
	// Warnings name parts of the request that were ignored, e.g. "agent_not_allowed".
	Warnings []string `json:"warnings,omitempty"`
}

type identityJSON struct {
	Status string `json:"status"`
	UserID string `json:"user_id,omitempty"`
	Reason string `json:"reason,omitempty"`
}

type messageJSON struct {
	ID              string         `json:"id"`
	Role            string         `json:"role"`
	Kind            string         `json:"kind"`
	Status          string         `json:"status"`
	Text            string         `json:"text"`
	Sources         []store.Source `json:"sources,omitempty"`
	ClientMessageID string         `json:"client_message_id,omitempty"`
	Language        string         `json:"language,omitempty"`
	CreatedAt       string         `json:"created_at"`
}

func toMessageJSON(m store.Message) messageJSON {
	return messageJSON{ID: m.ID, Role: string(m.Role), Kind: string(m.Kind), Status: string(m.Status), Text: m.Text,
		Sources: m.Sources, ClientMessageID: m.ClientMessageID, Language: m.Language, CreatedAt: m.CreatedAt.UTC().Format(time.RFC3339Nano)}
}

func toMessagesJSON(msgs []store.Message) []messageJSON {
	out := make([]messageJSON, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, toMessageJSON(m))
	}
	return out
}

func toSessionResponse(v chat.SessionView) sessionResponse {
	mode := "anonymous"
	if v.Identity.Status == "verified" || v.Identity.Status == "direct" {
		mode = "identified"
	}
	return sessionResponse{SessionID: v.Token, Mode: mode, Identity: identityJSON(v.Identity), Resumed: v.Resumed,
		Status: string(v.Session.Status), Language: v.Session.Language, Messages: toMessagesJSON(v.Messages), ChatEnded: v.ChatEnded, Debug: v.Debug, Warnings: v.Warnings}
}

func (a *API) sessionInit(w http.ResponseWriter, r *http.Request) error {
	var req initRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	key := req.Key
	if key == "" {
		key = req.BotID
	} else if req.BotID != "" && req.BotID != req.Key {
		return errs.New(errs.Invalid, "invalid_field", "key and bot_id name different channels")
	}
	cred := chat.Credentials{IdentityToken: req.IdentityToken, Assertion: req.Assertion, ExternalUserID: req.ExternalUserID,
		ExchangeToken: bearer(r)}
	locale := req.Locale
	if p := req.Persona; p != nil {
		cred.Persona = &chat.Persona{Mode: p.Mode, UserID: p.UserID}
		if locale == "" {
			locale = p.Locale
		}
	}
	ip := clientIP(r)
	if !a.limits.newSessions.Begin(ip) {
		return rateLimited(a.limits.newSessions, ip)
	}
	v, err := a.opts.Engine.Init(r.Context(), chat.InitRequest{ChannelKey: key, SessionToken: req.SessionID, ContactID: req.ContactID,
		Locale: locale, BrowserLocale: req.BrowserLocale, HostOrigin: req.HostOrigin, BrowserOrigin: a.crossOrigin(r), Credentials: cred,
		Greeting: req.Greeting, AgentID: req.AgentID})
	a.limits.newSessions.End(ip, err == nil && !v.Resumed)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSessionResponse(v))
}

type sessionRequest struct {
	SessionID string `json:"session_id"`
}

// sessionToken takes the session from the body or from Authorization: Bearer.
func sessionToken(r *http.Request, body string) string {
	if body != "" {
		return body
	}
	return bearer(r)
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") && len(h) < 4096 {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// newRequest is the body of POST /widget/session/new.
type newRequest struct {
	SessionID string `json:"session_id"`
	Greeting  string `json:"greeting"` // as in init: the embed's greeting override
}

func (a *API) sessionNew(w http.ResponseWriter, r *http.Request) error {
	var req newRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ip := clientIP(r)
	if !a.limits.newSessions.Begin(ip) {
		return rateLimited(a.limits.newSessions, ip)
	}
	var v chat.SessionView
	err := a.guardSession(r, func() (err error) {
		v, err = a.opts.Engine.NewChat(r.Context(), sessionToken(r, req.SessionID), req.Greeting)
		return err
	})
	a.limits.newSessions.End(ip, true)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSessionResponse(v))
}

// sessionLogout revokes the session's credential (logoutUser).
func (a *API) sessionLogout(w http.ResponseWriter, r *http.Request) error {
	var req sessionRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := a.guardSession(r, func() error { return a.opts.Engine.Logout(r.Context(), sessionToken(r, req.SessionID)) }); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"logged_out": true})
}

func (a *API) sessionClose(w http.ResponseWriter, r *http.Request) error {
	var req sessionRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	var s store.Session
	err := a.guardSession(r, func() (err error) {
		s, err = a.opts.Engine.Close(r.Context(), sessionToken(r, req.SessionID))
		return err
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"status": s.Status, "chat_ended": true})
}

// sessionMessages: GET /widget/session/messages?after=ID&limit=N with the
// session in Authorization: Bearer (never in the URL).
func (a *API) sessionMessages(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := 50
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			return errs.New(errs.Invalid, "invalid_field", "limit must be between 1 and 200")
		}
		limit = n
	}
	after := q.Get("after")
	if len(after) > 64 {
		return errs.New(errs.Invalid, "invalid_field", "after is not a message id")
	}
	var msgs []store.Message
	err := a.guardSession(r, func() (err error) {
		msgs, err = a.opts.Engine.Messages(r.Context(), bearer(r), after, limit+1)
		return err
	})
	if err != nil {
		return err
	}
	next := ""
	if len(msgs) > limit {
		msgs = msgs[:limit]
		next = msgs[len(msgs)-1].ID
	}
	return writeJSON(w, http.StatusOK, map[string]any{"messages": toMessagesJSON(msgs), "next_cursor": next})
}
