package channels

import (
	"context"
	"time"

	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
)

// ensureSecrets creates the secrets an identity mode needs when missing.
func (s *Service) ensureSecrets(ctx context.Context, ch store.Channel, cfg store.ChannelConfig) (Secrets, error) {
	var out Secrets
	need := map[store.IdentityMode]store.SecretKind{store.IdentitySigned: store.SecretSigning, store.IdentityExchange: store.SecretApp}
	kind, ok := need[cfg.IdentityMode]
	if !ok {
		return out, nil
	}
	have, err := s.st.ChannelSecrets(ctx, ch.ID, kind, s.now())
	if err != nil || len(have) > 0 {
		return out, err
	}
	secret, err := s.rotate(ctx, ch, kind, s.now())
	if kind == store.SecretSigning {
		out.Signing = secret
	} else {
		out.App = secret
	}
	return out, err
}

func (s *Service) rotate(ctx context.Context, ch store.Channel, kind store.SecretKind, graceUntil time.Time) (string, error) {
	prefix := map[store.SecretKind]string{store.SecretSigning: "dsk_", store.SecretApp: "das_"}[kind]
	secret, err := identity.NewSecret(prefix)
	if err != nil {
		return "", err
	}
	rec := store.ChannelSecret{ChannelID: ch.ID, Kind: kind, Hint: identity.SecretHint(secret), CreatedAt: s.now()}
	if kind == store.SecretSigning {
		if rec.Ciphertext, err = s.keyring.Seal([]byte(secret), aad(ch.ID, kind)); err != nil {
			return "", err
		}
	} else {
		rec.Hash = identity.HashAppSecret(secret)
	}
	if err := s.st.RotateChannelSecret(ctx, rec, graceUntil); err != nil {
		return "", err
	}
	return secret, nil
}

// aad binds a ciphertext to its channel and kind, so a stored secret cannot
// be moved to another channel's row and still decrypt.
func aad(channelID string, kind store.SecretKind) string { return string(kind) + ":" + channelID }

// SigningSecrets returns the signing secrets that verify now for a channel:
// the current one first, then the previous one inside its grace window.
func (s *Service) SigningSecrets(ctx context.Context, channelID string) ([][]byte, error) {
	recs, err := s.st.ChannelSecrets(ctx, channelID, store.SecretSigning, s.now())
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(recs))
	for _, r := range recs {
		plain, err := s.keyring.Open(r.Ciphertext, aad(channelID, store.SecretSigning))
		if err != nil {
			return nil, err
		}
		out = append(out, plain)
	}
	return out, nil
}

// AppSecretMatches reports whether secret is a valid app secret of the channel
// now, comparing in constant time against every valid hash.
func (s *Service) AppSecretMatches(ctx context.Context, channelID, secret string) (bool, error) {
	recs, err := s.st.ChannelSecrets(ctx, channelID, store.SecretApp, s.now())
	if err != nil {
		return false, err
	}
	hashes := make([][]byte, 0, len(recs))
	for _, r := range recs {
		hashes = append(hashes, r.Hash)
	}
	return identity.AppSecretMatches(secret, hashes), nil
}

// ExchangeKey is the key this server signs a channel's exchange tokens with.
func (s *Service) ExchangeKey(channelKey string) []byte { return s.keyring.ExchangeKey(channelKey) }

// SecretHints lists the stored secrets of a channel without their values.
func (s *Service) SecretHints(ctx context.Context, channelID string) ([]store.ChannelSecret, error) {
	var out []store.ChannelSecret
	for _, kind := range []store.SecretKind{store.SecretSigning, store.SecretApp} {
		recs, err := s.st.ChannelSecrets(ctx, channelID, kind, s.now())
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			r.Ciphertext, r.Hash = nil, nil
			out = append(out, r)
		}
	}
	return out, nil
}
