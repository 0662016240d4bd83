package identity

import "time"

// Claims is what a verified credential says about the user.
type Claims struct {
	UserID string
	// KYC attributes, carried by identity tokens only; "" when absent.
	Email, Name, PlanTier, AudienceTag, Company, Locale string
	IssuedAt, ExpiresAt                                 time.Time
	// JTI and Issuer are set for assertions (the replay key is channel, Issuer,
	// JTI) and exchange tokens.
	JTI, Issuer string
}

// ChannelKeys is what verifying on one channel needs. The key ALWAYS comes
// from the endpoint's channel, never from anything the token says.
type ChannelKeys struct {
	// ChannelKey is the channel slug; assertions' channel_slug must equal it.
	ChannelKey string
	// Secrets verify now: the current one first, then a previous one inside
	// its rotation grace window. Each is the secret exactly as shown to the
	// channel owner (the bytes of the "dsk_…" string: hosts sign with the
	// string as given). Secrets shorter than 16 bytes are ignored, so an empty
	// or placeholder secret can never make a forgery verify.
	Secrets [][]byte
	// Issuer, when set, is the exact iss assertions must carry.
	Issuer string
	// MaxLifetime caps exp−iat of identity tokens; 0 means 24 h.
	MaxLifetime time.Duration
	// PlanTiers, when non-empty, is the exact set of plan_tier values an
	// identity token may carry (IT-07: an unexpected tier like "root" is
	// refused). Empty: any short slug is accepted; plan_tier then only
	// labels the user for the prompt and ticket priority and grants nothing.
	PlanTiers []string
}

const (
	defaultLeeway      = 30 * time.Second
	defaultMaxLifetime = 24 * time.Hour
	minSecretLen       = 16
)

// Verifier checks credentials against an injectable clock.
type Verifier struct {
	Now    func() time.Time // nil → time.Now
	Leeway time.Duration    // clock-skew allowance; 0 → 30 s, never more than 30 s
}

func (v *Verifier) now() time.Time {
	if v == nil || v.Now == nil {
		return time.Now()
	}
	return v.Now()
}

// leeway is capped at 30 s: the protocol promises hosts no more, and a large
// leeway silently extends every token's life.
func (v *Verifier) leeway() time.Duration {
	if v == nil || v.Leeway <= 0 || v.Leeway > defaultLeeway {
		return defaultLeeway
	}
	return v.Leeway
}

func (k ChannelKeys) maxLifetime() time.Duration {
	if k.MaxLifetime <= 0 {
		return defaultMaxLifetime
	}
	return k.MaxLifetime
}

// usableSecrets drops secrets too short to be secret.
func usableSecrets(secrets [][]byte) [][]byte {
	out := make([][]byte, 0, len(secrets))
	for _, s := range secrets {
		if len(s) >= minSecretLen {
			out = append(out, s)
		}
	}
	return out
}
