package chat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/locale"
	"github.com/docentchat/docent/internal/store"
)

// tokenBytes is the entropy of a session_id: 256 bits from crypto/rand.
const tokenBytes = 32

// InitRequest opens or resumes a conversation (POST /widget/session/init).
type InitRequest struct {
	ChannelKey    string
	SessionToken  string // the kept session_id, to resume
	ContactID     string // visitor id from data-contact-id; empty → widget:<uuidv7>
	Locale        string
	BrowserLocale string
	HostOrigin    string
	// BrowserOrigin is the Origin of a cross-origin browser request (empty
	// for Docent's own frame and for servers); it must be allowed by the channel.
	BrowserOrigin string
	Credentials   Credentials
	// Greeting overrides the channel's greeting for a new session (the
	// loader's data-intro-message / appearance.greeting); see ValidGreeting.
	Greeting string
	// AgentID asks for another agent than the channel's (the loader's
	// agentId). Honoured for a new session only when it is the channel's own
	// agent or listed in the channel's OverrideAgents; otherwise ignored with
	// the warning "agent_not_allowed": a visitor never picks an arbitrary
	// agent of the instance.
	AgentID string
}

// SessionView is a session as the widget sees it.
type SessionView struct {
	// Token is the secret session_id; set only when it is (re)issued or presented.
	Token     string
	Session   store.Session
	Channel   store.Channel
	Contact   store.Contact
	Resumed   bool
	Messages  []store.Message
	ChatEnded bool
	// Identity is "anonymous" until identity verification is configured.
	Identity IdentityView
	// Debug is the QA view of the language decision; set only on channels
	// whose persona is test (PROTOCOL §3).
	Debug *SessionDebug
	// Warnings name requests that were ignored (e.g. "agent_not_allowed").
	Warnings []string
}

// SessionDebug explains how the session language was chosen.
type SessionDebug struct {
	Requested string `json:"requested"` // locale from the embed config
	Browser   string `json:"browser"`   // navigator.language
	Contact   string `json:"contact"`   // KYC locale claim
	Channel   string `json:"channel"`   // the channel default
	Chosen    string `json:"chosen"`
	Resumed   bool   `json:"resumed"` // a resumed session keeps its sticky language
}

// IdentityView reports how the visitor was identified.
type IdentityView struct {
	Status string // anonymous | verified | direct | rejected
	UserID string
	Reason string // for rejected: signature | expired | schema | replayed
}

// Init resumes the session named by req.SessionToken when it belongs to this
// channel, is not closed and was active within the idle window; otherwise it
// starts a new session whose first message is the greeting.
func (e *Engine) Init(ctx context.Context, req InitRequest) (SessionView, error) {
	ch, err := e.publishedChannel(ctx, req.ChannelKey)
	if err != nil {
		return SessionView{}, err
	}
	if req.BrowserOrigin != "" && !ch.Published.Config.AllowsOrigin(req.BrowserOrigin) {
		return SessionView{}, errs.New(errs.Forbidden, "origin_not_allowed", "this site is not an allowed origin of the channel")
	}
	if _, err := ValidGreeting(req.Greeting); err != nil {
		return SessionView{}, err
	}
	agent, allowed := e.agentFor(ctx, ch, req.AgentID)
	req.AgentID = agent
	v, err := e.initSession(ctx, ch, req)
	if err == nil && !allowed {
		v.Warnings = append(v.Warnings, "agent_not_allowed")
	}
	if err == nil && ch.Published.Config.Persona == store.PersonaTest {
		v.Debug = &SessionDebug{Requested: req.Locale, Browser: req.BrowserLocale, Contact: v.Contact.Attributes.Locale,
			Channel: ch.Published.Config.Language, Chosen: v.Session.Language, Resumed: v.Resumed}
	}
	return v, err
}

func (e *Engine) initSession(ctx context.Context, ch store.Channel, req InitRequest) (SessionView, error) {
	idn, err := e.identify(ctx, ch, req.Credentials)
	if err != nil {
		return SessionView{}, err
	}
	if ch.Published.Config.IdentityRequired && !idn.claimed {
		return SessionView{}, errs.New(errs.Unauthorized, "identity_required", "this chat is available to signed-in users only")
	}
	if req.SessionToken != "" {
		v, ok, err := e.resumeByToken(ctx, ch, req.SessionToken, idn)
		if err != nil || ok {
			return v, err
		}
	}
	lang := locale.Pick(req.Locale, req.BrowserLocale, idn.attrs.Locale, ch.Published.Config.Language)
	if idn.claimed {
		contact, err := e.opts.Store.UpsertContact(ctx, store.Contact{ChannelID: ch.ID, Kind: idn.kind, ExternalID: idn.userID, Attributes: idn.attrs})
		if err != nil {
			return SessionView{}, storeErr(err)
		}
		// An identified user gets their latest open conversation back, with a
		// fresh credential for this browser.
		s, err := e.opts.Store.LatestSession(ctx, ch.ID, contact.ID, []store.SessionStatus{store.SessionOpen, store.SessionEscalated},
			e.now().Add(-e.opts.Limits.SessionIdle))
		if err == nil {
			return e.reissue(ctx, ch, s, idn)
		} else if !errors.Is(err, store.ErrNotFound) {
			return SessionView{}, storeErr(err)
		}
		return e.startSession(ctx, ch, contact, lang, idn.view, req.Greeting, req.AgentID)
	}
	contactID, err := visitorID(req.ContactID)
	if err != nil {
		return SessionView{}, err
	}
	contact, err := e.opts.Store.UpsertContact(ctx, store.Contact{ChannelID: ch.ID, Kind: store.ContactAnonymous, ExternalID: contactID})
	if err != nil {
		return SessionView{}, storeErr(err)
	}
	return e.startSession(ctx, ch, contact, lang, idn.view, req.Greeting, req.AgentID)
}

// resumeByToken resumes the session a kept session_id names when it belongs to
// the one now asking: the same identified user, or, for a guest, a guest
// session. A credential presented by anyone else (a guest who just signed in,
// another user on a shared computer) is revoked and not resumed: anonymous
// history is never merged into a user, and no user sees another's.
func (e *Engine) resumeByToken(ctx context.Context, ch store.Channel, token string, idn identified) (SessionView, bool, error) {
	s, err := e.resumable(ctx, token)
	if err != nil || s.ChannelID != ch.ID {
		if err != nil && !isUnknownSession(err) {
			return SessionView{}, false, err
		}
		return SessionView{}, false, nil
	}
	owner, err := e.opts.Store.Contact(ctx, s.ContactID)
	if err != nil {
		return SessionView{}, false, storeErr(err)
	}
	if idn.claimed && owner.Kind == idn.kind && owner.ExternalID == idn.userID {
		if idn.attrs != (store.ContactAttributes{}) {
			owner.Attributes = idn.attrs
			if _, err := e.opts.Store.UpsertContact(ctx, owner); err != nil {
				return SessionView{}, false, storeErr(err)
			}
		}
		v, err := e.view(ctx, ch, s, token, true)
		v.Identity = idn.view
		return v, true, err
	}
	if !idn.claimed && owner.Kind == store.ContactAnonymous {
		v, err := e.view(ctx, ch, s, token, true)
		v.Identity = idn.view
		return v, true, err
	}
	if err := e.revoke(ctx, s, owner.Kind == store.ContactAnonymous); err != nil {
		return SessionView{}, false, err
	}
	return SessionView{}, false, nil
}

// reissue resumes s for an identified user with a credential of its own:
// the user's other tabs keep theirs (up to store.MaxSessionTokens).
func (e *Engine) reissue(ctx context.Context, ch store.Channel, s store.Session, idn identified) (SessionView, error) {
	token, hash, err := newToken()
	if err != nil {
		return SessionView{}, errs.Wrap(errs.Internal, "internal", "could not create a session", err)
	}
	if err := e.opts.Store.AddSessionToken(ctx, s.ID, hash, e.now()); err != nil {
		return SessionView{}, storeErr(err)
	}
	v, err := e.view(ctx, ch, s, token, true)
	v.Identity = idn.view
	return v, err
}

// revoke makes a session's credential useless (and closes a guest session,
// which nobody can reach again).
func (e *Engine) revoke(ctx context.Context, s store.Session, closeIt bool) error {
	_, hash, err := newToken()
	if err != nil {
		return errs.Wrap(errs.Internal, "internal", "could not revoke a session", err)
	}
	if err := e.opts.Store.SetSessionToken(ctx, s.ID, hash); err != nil {
		return storeErr(err)
	}
	if closeIt && s.Status != store.SessionClosed {
		return storeErr0(e.opts.Store.SetSessionStatus(ctx, s.ID, store.SessionClosed, e.now()))
	}
	return nil
}

// Logout revokes credentials on the server (logoutUser): for a signed-in
// user, every credential of every conversation of theirs on the channel
// (their other tabs, and conversations ended with Start new chat); for a
// guest, this session's. The user's conversation stays theirs and is
// resumed when they sign in again.
func (e *Engine) Logout(ctx context.Context, token string) error {
	s, err := e.liveSession(ctx, token)
	if err != nil {
		return err
	}
	if s.ContactID != "" {
		owner, err := e.opts.Store.Contact(ctx, s.ContactID)
		if err != nil {
			return storeErr(err)
		}
		if owner.Kind != store.ContactAnonymous {
			return storeErr0(e.opts.Store.RevokeContactCredentials(ctx, owner.ID))
		}
	}
	return e.revoke(ctx, s, false)
}

func storeErr0(err error) error {
	if err == nil {
		return nil
	}
	return storeErr(err)
}

// NewChat closes the current session (Start new chat) and starts a fresh one
// for the same visitor with the greeting again (greeting: the embed's
// override, empty for the channel's).
func (e *Engine) NewChat(ctx context.Context, token, greeting string) (SessionView, error) {
	if _, err := ValidGreeting(greeting); err != nil {
		return SessionView{}, err
	}
	s, err := e.liveSession(ctx, token)
	if err != nil {
		return SessionView{}, err
	}
	ch, err := e.opts.Store.ChannelByID(ctx, s.ChannelID)
	if err != nil {
		return SessionView{}, storeErr(err)
	}
	if ch.Published == nil {
		return SessionView{}, errs.New(errs.NotFound, "channel_not_found", "no published channel with this key")
	}
	owner, err := e.checkRequired(ctx, ch, s)
	if err != nil {
		return SessionView{}, err
	}
	if s.Status != store.SessionClosed {
		if err := e.opts.Store.SetSessionStatus(ctx, s.ID, store.SessionClosed, e.now()); err != nil {
			return SessionView{}, storeErr(err)
		}
	}
	contact := store.Contact{ID: s.ContactID, ChannelID: s.ChannelID}
	lang := s.Language
	if lang == "" {
		lang = locale.Pick(ch.Published.Config.Language)
	}
	return e.startSession(ctx, ch, contact, lang, ownerView(owner), greeting, s.AgentID)
}

// Close ends the session; it is never resumed afterwards.
func (e *Engine) Close(ctx context.Context, token string) (store.Session, error) {
	s, err := e.liveSession(ctx, token)
	if err != nil {
		return store.Session{}, err
	}
	if s.Status != store.SessionClosed {
		now := e.now()
		if err := e.opts.Store.SetSessionStatus(ctx, s.ID, store.SessionClosed, now); err != nil {
			return store.Session{}, storeErr(err)
		}
		s.Status, s.ClosedAt = store.SessionClosed, &now
	}
	return s, nil
}

// Messages pages through a session's transcript.
func (e *Engine) Messages(ctx context.Context, token, after string, limit int) ([]store.Message, error) {
	s, err := e.liveSession(ctx, token)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	msgs, err := e.opts.Store.Messages(ctx, s.ID, after, limit)
	if err != nil {
		return nil, storeErr(err)
	}
	return e.present(msgs), nil
}

func (e *Engine) startSession(ctx context.Context, ch store.Channel, contact store.Contact, lang string, who IdentityView, intro, agentID string) (SessionView, error) {
	token, hash, err := newToken()
	if err != nil {
		return SessionView{}, errs.Wrap(errs.Internal, "internal", "could not create a session", err)
	}
	now := e.now()
	greeting := &store.Message{Role: store.RoleAssistant, Kind: store.KindGreeting, Status: store.StatusComplete,
		Text: e.greeting(ch, lang, intro), Language: lang, CreatedAt: now, UpdatedAt: now}
	s, err := e.opts.Store.CreateSession(ctx, store.Session{ChannelID: ch.ID, ContactID: contact.ID, TokenHash: hash,
		Status: store.SessionOpen, Language: lang, CreatedAt: now, LastActivityAt: now, AgentID: agentID}, greeting)
	if err != nil {
		return SessionView{}, storeErr(err)
	}
	e.opts.Metrics.SessionStarted(ch.Key, false)
	e.opts.Logger.LogAttrs(ctx, slog.LevelInfo, "session started", slog.String("channel", ch.Key), slog.String("session", s.ID))
	v, err := e.view(ctx, ch, s, token, false)
	v.Identity = who
	v.Contact = contact
	return v, err
}

func (e *Engine) view(ctx context.Context, ch store.Channel, s store.Session, token string, resumed bool) (SessionView, error) {
	msgs, err := e.opts.Store.Messages(ctx, s.ID, "", 500)
	if err != nil {
		return SessionView{}, storeErr(err)
	}
	if resumed {
		e.opts.Metrics.SessionStarted(ch.Key, true)
	}
	return SessionView{Token: token, Session: s, Channel: ch, Resumed: resumed, Messages: e.present(msgs),
		ChatEnded: s.Status == store.SessionClosed, Identity: IdentityView{Status: "anonymous"}}, nil
}

func (e *Engine) greeting(ch store.Channel, lang, intro string) string {
	if g := strings.TrimSpace(intro); g != "" {
		return g
	}
	if g := strings.TrimSpace(ch.Published.Config.Greeting); g != "" {
		return g
	}
	return locale.GreetingFor(lang, ch.Published.Config.Title)
}

func (e *Engine) publishedChannel(ctx context.Context, key string) (store.Channel, error) {
	if !validKey(key) {
		return store.Channel{}, errs.New(errs.Invalid, "invalid_key", "key must be a channel key such as \"demo\"")
	}
	ch, err := e.opts.Store.Channel(ctx, key)
	if errors.Is(err, store.ErrNotFound) || (err == nil && ch.Published == nil) {
		return store.Channel{}, errs.New(errs.NotFound, "channel_not_found", "no published channel with this key")
	}
	if err != nil {
		return store.Channel{}, storeErr(err)
	}
	return ch, nil
}

// liveSession returns the session for token unless it expired (no activity
// within the idle window): an expired session's credential opens nothing,
// not its transcript, not a new chat, closed or not (SECURITY AS-02).
func (e *Engine) liveSession(ctx context.Context, token string) (store.Session, error) {
	s, err := e.sessionByToken(ctx, token)
	if err != nil {
		return s, err
	}
	if e.now().Sub(s.LastActivityAt) > e.opts.Limits.SessionIdle {
		return s, errSessionInvalid
	}
	return s, nil
}

// resumable returns the session for token if it may continue: not closed and
// active within the idle window.
func (e *Engine) resumable(ctx context.Context, token string) (store.Session, error) {
	s, err := e.liveSession(ctx, token)
	if err == nil && s.Status == store.SessionClosed {
		err = errSessionInvalid
	}
	return s, err
}

var errSessionInvalid = errs.New(errs.Unauthorized, "session_invalid", "this chat session is unknown or has expired; start a new one")

func isUnknownSession(err error) bool { return errs.CodeOf(err) == "session_invalid" }

// sessionByToken looks a session up by the hash of its secret. Malformed
// tokens are refused without touching the database.
func (e *Engine) sessionByToken(ctx context.Context, token string) (store.Session, error) {
	hash, ok := HashToken(token)
	if !ok {
		return store.Session{}, errSessionInvalid
	}
	s, err := e.opts.Store.SessionByTokenHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return store.Session{}, errSessionInvalid
	}
	if err != nil {
		return store.Session{}, storeErr(err)
	}
	return s, nil
}

func newToken() (string, []byte, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	h := sha256.Sum256([]byte(token))
	return token, h[:], nil
}

// HashToken returns the stored form of a session_id, or false when the token
// is not one Docent could have issued.
func HashToken(token string) ([]byte, bool) {
	if len(token) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return nil, false
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(token); err != nil {
		return nil, false
	}
	h := sha256.Sum256([]byte(token))
	return h[:], true
}

func visitorID(given string) (string, error) {
	if given == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return "", errs.Wrap(errs.Internal, "internal", "could not create a visitor id", err)
		}
		return "widget:" + id.String(), nil
	}
	if len(given) > 200 || strings.IndexFunc(given, func(r rune) bool { return unicode.IsControl(r) || r == unicode.ReplacementChar }) >= 0 {
		return "", errs.New(errs.Invalid, "invalid_field", "contact_id must be at most 200 printable characters")
	}
	return given, nil
}

func validKey(key string) bool {
	if len(key) < 2 || len(key) > 63 {
		return false
	}
	for i, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case r == '-' && i > 0:
		default:
			return false
		}
	}
	return true
}

func storeErr(err error) error {
	switch {
	case errors.Is(err, store.ErrBusy):
		return &errs.Error{Kind: errs.Unavailable, Code: "storage_busy", Detail: "the server is busy; try again", RetryAfter: 1e9, Err: err}
	case errors.Is(err, store.ErrNotFound):
		return errs.Wrap(errs.NotFound, "not_found", "not found", err)
	}
	return errs.Wrap(errs.Internal, "internal", "internal error", err)
}

// MaxGreetingChars bounds a greeting override (PROTOCOL §2 data-intro-message).
const MaxGreetingChars = 1000

// ValidGreeting checks a greeting override: at most MaxGreetingChars
// characters of valid UTF-8 text without control characters other than
// newlines and tabs. It is stored and shown as text, never as markup.
func ValidGreeting(g string) (string, error) {
	g = strings.TrimSpace(g)
	bad := !utf8.ValidString(g) || utf8.RuneCountInString(g) > MaxGreetingChars ||
		strings.IndexFunc(g, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) >= 0
	if bad {
		return "", errs.New(errs.Invalid, "invalid_field", "greeting must be at most 1000 characters of text")
	}
	return g, nil
}

// agentFor decides which agent a new session asked for with requested gets:
// "" (the channel's own) when nothing or the channel's own agent was asked
// for, requested when the channel lists it in OverrideAgents and it exists,
// else "" with allowed=false.
func (e *Engine) agentFor(ctx context.Context, ch store.Channel, requested string) (agent string, allowed bool) {
	cfg := ch.Published.Config
	if requested == "" || requested == cfg.AgentID {
		return "", true
	}
	if !slices.Contains(cfg.OverrideAgents, requested) {
		return "", false
	}
	if _, err := e.opts.Store.Agent(ctx, requested); err != nil {
		return "", false
	}
	return requested, true
}

// sessionAgent is the agent that answers in s: its override while the
// channel still allows it, else the channel's agent.
func sessionAgent(ch store.Channel, s store.Session) string {
	if s.AgentID != "" && slices.Contains(ch.Published.Config.OverrideAgents, s.AgentID) {
		return s.AgentID
	}
	return ch.Published.Config.AgentID
}
