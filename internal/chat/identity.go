package chat

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
)

// Keys gives the engine the keys that verify a channel's credentials.
type Keys interface {
	SigningSecrets(ctx context.Context, channelID string) ([][]byte, error)
	ExchangeKey(channelKey string) []byte
}

// Credentials are what a visitor presented to identify themselves. Nil
// pointers were not sent at all.
type Credentials struct {
	IdentityToken  *string
	Assertion      *string
	ExternalUserID *string
	Persona        *Persona
	// ExchangeToken came as Authorization: Bearer (exchange channels).
	ExchangeToken string
}

// Persona is the persona part of a chat-embed-config handshake.
type Persona struct {
	Mode   string
	UserID any // a JSON number or string, validated per mode
}

func (c Credentials) present() bool {
	return c.IdentityToken != nil && *c.IdentityToken != "" || c.Assertion != nil && *c.Assertion != "" ||
		c.ExternalUserID != nil && *c.ExternalUserID != "" || c.Persona != nil && c.Persona.UserID != nil || c.ExchangeToken != ""
}

// identified is the outcome of checking credentials on a channel.
type identified struct {
	view    IdentityView
	kind    store.ContactKind // verified or direct; anonymous when none
	userID  string
	attrs   store.ContactAttributes
	claimed bool // an identity was accepted
}

func rejected(reason string) identified {
	return identified{view: IdentityView{Status: "rejected", Reason: reason}, kind: store.ContactAnonymous}
}

var anonymous = identified{view: IdentityView{Status: "anonymous"}, kind: store.ContactAnonymous}

// identify applies the channel's identity mode to the credentials. A bad
// credential never raises privilege: it falls back to anonymous with a coarse
// reason (or, on exchange channels, a 401 the widget answers by refreshing).
func (e *Engine) identify(ctx context.Context, ch store.Channel, cr Credentials) (identified, error) {
	cfg := ch.Published.Config
	if err := checkPersona(cfg, cr.Persona); err != nil {
		return identified{}, err
	}
	if !cr.present() {
		return anonymous, nil
	}
	switch cfg.IdentityMode {
	case store.IdentitySigned:
		return e.identifySigned(ctx, ch, cr)
	case store.IdentityDirect:
		return identifyDirect(cfg, cr), nil
	case store.IdentityExchange:
		if cr.ExchangeToken == "" {
			return rejected(identity.ReasonSchema), nil
		}
		claims, err := e.verifier().VerifyExchangeToken(cr.ExchangeToken, ch.Key, [][]byte{e.opts.Keys.ExchangeKey(ch.Key)})
		if err != nil {
			return identified{}, exchangeError(err)
		}
		return identified{view: IdentityView{Status: "verified", UserID: claims.UserID}, kind: store.ContactVerified, userID: claims.UserID, claimed: true}, nil
	}
	// Identity is disabled on this channel: credentials are not accepted.
	return rejected(identity.ReasonSchema), nil
}

func (e *Engine) identifySigned(ctx context.Context, ch store.Channel, cr Credentials) (identified, error) {
	if e.opts.Keys == nil {
		return rejected(identity.ReasonSignature), nil
	}
	secrets, err := e.opts.Keys.SigningSecrets(ctx, ch.ID)
	if err != nil {
		return identified{}, errs.Wrap(errs.Internal, "internal", "could not read channel keys", err)
	}
	cfg := ch.Published.Config
	keys := identity.ChannelKeys{ChannelKey: ch.Key, Secrets: secrets, Issuer: cfg.Issuer,
		MaxLifetime: time.Duration(cfg.MaxTokenLifetimeSeconds) * time.Second}
	v := e.verifier()
	switch {
	case cr.IdentityToken != nil && *cr.IdentityToken != "":
		claims, err := v.VerifyIdentityToken(*cr.IdentityToken, keys)
		if err != nil {
			return e.reject(ctx, ch, "identity token", err), nil
		}
		attrs := store.ContactAttributes{Email: claims.Email, Name: claims.Name, PlanTier: claims.PlanTier,
			AudienceTag: claims.AudienceTag, Company: claims.Company, Locale: claims.Locale}
		return identified{view: IdentityView{Status: "verified", UserID: claims.UserID}, kind: store.ContactVerified,
			userID: claims.UserID, attrs: attrs, claimed: true}, nil
	case cr.Assertion != nil && *cr.Assertion != "":
		claims, err := v.VerifyAssertion(*cr.Assertion, keys)
		if err != nil {
			return e.reject(ctx, ch, "assertion", err), nil
		}
		// Single use, durably: the key is (channel, issuer, jti), never the token text.
		err = e.opts.Store.UseAssertion(ctx, ch.ID, claims.Issuer, claims.JTI, claims.ExpiresAt.Add(time.Minute), e.now())
		if errors.Is(err, store.ErrConflict) {
			return e.reject(ctx, ch, "assertion", &identity.Rejection{Reason: identity.ReasonReplayed, Detail: "jti already used"}), nil
		} else if err != nil {
			return identified{}, storeErr(err)
		}
		return identified{view: IdentityView{Status: "verified", UserID: claims.UserID}, kind: store.ContactVerified, userID: claims.UserID, claimed: true}, nil
	}
	return rejected(identity.ReasonSchema), nil
}

// identifyDirect accepts a claimed user id, labelled direct, only where the
// browser enforces the channel's allowed origins (SECURITY DU-01..04). KYC
// claims are never taken from a direct id.
func identifyDirect(cfg store.ChannelConfig, cr Credentials) identified {
	if len(cfg.AllowedOrigins) == 0 {
		return rejected(identity.ReasonSchema)
	}
	var id string
	var ok bool
	switch {
	case cr.Persona != nil && cr.Persona.UserID != nil:
		id, ok = identity.ValidPersonaUserID(string(cfg.Persona), cr.Persona.UserID)
	case cr.ExternalUserID != nil:
		id, ok = *cr.ExternalUserID, identity.ValidUserID(*cr.ExternalUserID)
		if ok && (cfg.Persona == store.PersonaCustomer || cfg.Persona == store.PersonaEmployee) {
			id, ok = identity.ValidPersonaUserID(string(cfg.Persona), *cr.ExternalUserID)
		}
	}
	if !ok {
		return rejected(identity.ReasonSchema)
	}
	return identified{view: IdentityView{Status: "direct", UserID: id}, kind: store.ContactDirect, userID: id, claimed: true}
}

// checkPersona refuses a handshake asking for a persona the channel does not
// serve, and a customer or employee persona without a positive integer id.
func checkPersona(cfg store.ChannelConfig, p *Persona) error {
	if p == nil || p.Mode == "" {
		return nil
	}
	if p.Mode != string(cfg.Persona) {
		return errs.New(errs.Forbidden, "persona_not_allowed", "this channel does not serve the requested persona mode")
	}
	if (p.Mode == "customer" || p.Mode == "employee") && p.UserID != nil {
		if _, ok := identity.ValidPersonaUserID(p.Mode, p.UserID); !ok {
			return errs.New(errs.Invalid, "invalid_field", "user_id must be a positive integer for this persona")
		}
	}
	return nil
}

// checkRequired enforces "identity required" on every call of a session,
// not only at its init: a channel switched to it later must not keep serving
// its guests (SECURITY §1.3: enforce on every endpoint). It returns the
// session's owner.
func (e *Engine) checkRequired(ctx context.Context, ch store.Channel, s store.Session) (store.Contact, error) {
	owner, err := e.opts.Store.Contact(ctx, s.ContactID)
	if err != nil {
		return owner, storeErr(err)
	}
	if ch.Published.Config.IdentityRequired && owner.Kind == store.ContactAnonymous {
		return owner, errs.New(errs.Unauthorized, "identity_required", "this chat is available to signed-in users only")
	}
	return owner, nil
}

// ownerView is how a session's owner is reported: the identity it was
// verified or named with, or anonymous.
func ownerView(c store.Contact) IdentityView {
	switch c.Kind {
	case store.ContactVerified, store.ContactDirect:
		return IdentityView{Status: string(c.Kind), UserID: c.ExternalID}
	}
	return IdentityView{Status: "anonymous"}
}

func (e *Engine) reject(ctx context.Context, ch store.Channel, what string, err error) identified {
	reason := identity.ReasonSchema
	var r *identity.Rejection
	if errors.As(err, &r) {
		reason = r.Reason
	}
	e.opts.Logger.LogAttrs(ctx, slog.LevelInfo, "identity rejected", slog.String("channel", ch.Key),
		slog.String("credential", what), slog.String("reason", reason))
	return rejected(reason)
}

func exchangeError(err error) error {
	var r *identity.Rejection
	if errors.As(err, &r) && r.Reason == identity.ReasonExpired {
		return errs.New(errs.Unauthorized, "token_expired", "the access token has expired; fetch a new one")
	}
	return errs.New(errs.Unauthorized, "invalid_token", "the access token is not valid for this channel")
}

func (e *Engine) verifier() *identity.Verifier { return &identity.Verifier{Now: e.opts.Now} }

// checkExchange requires, on exchange channels, a valid bearer token for the
// session's own user on every message, so a session lives no longer than the
// host keeps issuing tokens for its user.
func (e *Engine) checkExchange(ctx context.Context, ch store.Channel, s store.Session, token string) error {
	if ch.Published.Config.IdentityMode != store.IdentityExchange {
		return nil
	}
	owner, err := e.opts.Store.Contact(ctx, s.ContactID)
	if err != nil {
		return storeErr(err)
	}
	if owner.Kind != store.ContactVerified {
		if ch.Published.Config.IdentityRequired {
			return errs.New(errs.Unauthorized, "identity_required", "this chat is available to signed-in users only")
		}
		return nil
	}
	if token == "" {
		return errs.New(errs.Unauthorized, "invalid_token", "send the access token as Authorization: Bearer")
	}
	claims, err := e.verifier().VerifyExchangeToken(token, ch.Key, [][]byte{e.opts.Keys.ExchangeKey(ch.Key)})
	if err != nil {
		return exchangeError(err)
	}
	if claims.UserID != owner.ExternalID {
		return errs.New(errs.Unauthorized, "invalid_token", "the access token is for another user")
	}
	return nil
}
