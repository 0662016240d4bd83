// Package channels owns channel administration: creating, editing,
// publishing and deleting channels with strict validation, and their secrets
// (signing secrets kept encrypted, app secrets kept as hashes, each shown once
// when created or rotated, with a grace window in which the previous secret
// still verifies). The CLI uses it today and the admin API will; the chat
// engine asks it for the keys that verify a channel's identity credentials.
package channels

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
)

// Store is what channel administration reads and writes.
type Store interface {
	store.ChannelStore
	store.IdentityStore
	AgentByName(ctx context.Context, name string) (store.Agent, error)
	Agent(ctx context.Context, id string) (store.Agent, error)
}

// Service administers channels.
type Service struct {
	st      Store
	keyring *identity.Keyring
	now     func() time.Time
	// Grace is how long a rotated-out secret still verifies.
	Grace time.Duration
}

// New returns a Service. The keyring protects signing secrets at rest.
func New(st Store, keyring *identity.Keyring) *Service {
	return &Service{st: st, keyring: keyring, now: time.Now, Grace: 24 * time.Hour}
}

// Secrets are the plaintext secrets created by an operation: shown once, never stored.
type Secrets struct {
	Signing string // HS256 secret for identity tokens and assertions (host backends keep it)
	App     string // appSecret for POST /api/v1/auth/token (host backends keep it)
}

// Create validates config and creates the channel with the secrets its
// identity mode needs. It is not published.
func (s *Service) Create(ctx context.Context, key string, cfg store.ChannelConfig) (store.Channel, Secrets, error) {
	if !ValidKey(key) {
		return store.Channel{}, Secrets{}, errs.New(errs.Invalid, "invalid_key", "a channel key is 2–63 characters of a-z, 0-9 and -, starting with a letter or digit")
	}
	cfg, err := Validate(cfg)
	if err != nil {
		return store.Channel{}, Secrets{}, err
	}
	ch, err := s.st.CreateChannel(ctx, key, cfg)
	if errors.Is(err, store.ErrConflict) {
		return ch, Secrets{}, errs.New(errs.Conflict, "channel_exists", "a channel with this key already exists")
	}
	if err != nil {
		return ch, Secrets{}, err
	}
	secrets, err := s.ensureSecrets(ctx, ch, cfg)
	return ch, secrets, err
}

// Update applies change to the draft and validates the result. Secrets the
// new identity mode needs and the channel lacks are created (and returned).
func (s *Service) Update(ctx context.Context, key string, change func(*store.ChannelConfig)) (store.Channel, Secrets, error) {
	ch, err := s.channel(ctx, key)
	if err != nil {
		return ch, Secrets{}, err
	}
	cfg := ch.Draft
	change(&cfg)
	if ch.Draft.IdentityMode == store.IdentityDirect && cfg.IdentityMode == store.IdentityDirect && len(cfg.AllowedOrigins) == 0 {
		return ch, Secrets{}, errs.New(errs.Conflict, "would_disable_origin_restriction",
			"direct user ids are on: removing the last allowed origin would let any site claim any user id; switch the identity mode first")
	}
	if cfg, err = Validate(cfg); err != nil {
		return ch, Secrets{}, err
	}
	if ch, err = s.st.UpdateChannelDraft(ctx, key, cfg); err != nil {
		return ch, Secrets{}, err
	}
	secrets, err := s.ensureSecrets(ctx, ch, cfg)
	return ch, secrets, err
}

// Publish validates the draft once more and makes it what widgets see.
func (s *Service) Publish(ctx context.Context, key string) (store.Channel, error) {
	ch, err := s.channel(ctx, key)
	if err != nil {
		return ch, err
	}
	if _, err := Validate(ch.Draft); err != nil {
		return ch, err
	}
	if ch.Draft.AgentID == "" {
		return ch, errs.New(errs.Invalid, "agent_required", "bind an agent before publishing (--agent NAME)")
	}
	return s.st.PublishChannel(ctx, key)
}

// Delete removes the channel and everything scoped to it.
func (s *Service) Delete(ctx context.Context, key string) error {
	if _, err := s.channel(ctx, key); err != nil {
		return err
	}
	return s.st.DeleteChannel(ctx, key)
}

// RotateSecret creates a new secret of kind; the previous one keeps
// verifying for Grace. The new plaintext is returned once.
func (s *Service) RotateSecret(ctx context.Context, key string, kind store.SecretKind) (string, error) {
	ch, err := s.channel(ctx, key)
	if err != nil {
		return "", err
	}
	return s.rotate(ctx, ch, kind, s.now().Add(s.Grace))
}

func (s *Service) channel(ctx context.Context, key string) (store.Channel, error) {
	ch, err := s.st.Channel(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return ch, errs.New(errs.NotFound, "channel_not_found", fmt.Sprintf("no channel %q", key))
	}
	return ch, err
}

// IssueExchangeToken answers POST /api/v1/auth/token: it checks the app
// secret of an exchange channel and signs a short-lived token for endUserID.
// Unknown channels, other identity modes and wrong secrets are the same
// invalid_client error, after the same work, so a caller learns nothing.
func (s *Service) IssueExchangeToken(ctx context.Context, appID, appSecret, endUserID string) (string, time.Time, error) {
	if !identity.ValidUserID(endUserID) {
		return "", time.Time{}, errs.New(errs.Invalid, "invalid_field", "endUserId must be 1–256 bytes of printable UTF-8")
	}
	invalid := errs.New(errs.Unauthorized, "invalid_client", "unknown appId or wrong appSecret")
	ch, err := s.st.Channel(ctx, appID)
	if err != nil || ch.Published == nil || ch.Published.Config.IdentityMode != store.IdentityExchange {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", time.Time{}, err
		}
		identity.AppSecretMatches(appSecret, [][]byte{identity.HashAppSecret("")}) // same work as a real check
		return "", time.Time{}, invalid
	}
	ok, err := s.AppSecretMatches(ctx, ch.ID, appSecret)
	if err != nil {
		return "", time.Time{}, err
	}
	if !ok {
		return "", time.Time{}, invalid
	}
	ttl := time.Duration(ch.Published.Config.ExchangeTokenTTLSeconds) * time.Second
	if ttl == 0 {
		ttl = 15 * time.Minute
	}
	v := identity.Verifier{Now: s.now}
	return v.IssueExchangeToken(ch.Key, endUserID, s.ExchangeKey(ch.Key), ttl)
}
