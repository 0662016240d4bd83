package identity

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// identityClaimNames is the complete claim set of an identity token
// (PROTOCOL §6.1). Anything else — sub, jti, channel_slug of an assertion —
// is a schema error, so the two credential kinds never pass as each other.
var identityClaimNames = map[string]bool{
	"user_id": true, "exp": true, "iat": true,
	"email": true, "name": true, "plan_tier": true, "audience_tag": true, "company": true, "locale": true,
}

var (
	planTierPattern = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)
	localePattern   = regexp.MustCompile(`^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$`)
)

// VerifyIdentityToken verifies an HMAC identity token (PROTOCOL §6.1) with
// the secrets of the endpoint's channel. Checks run in this order so that a
// forged token never reaches the claim parser and a forged expired token
// reports "signature" (JW-18): size and shape → header → signature → strict
// payload and claim schema → times.
func (v *Verifier) VerifyIdentityToken(token string, keys ChannelKeys) (Claims, error) {
	jws, rej := splitCompact(token)
	if rej != nil {
		return Claims{}, rej
	}
	if rej := checkIdentityHeader(jws.header); rej != nil {
		return Claims{}, rej
	}
	if rej := verifyHS256(jws, keys.Secrets); rej != nil {
		return Claims{}, rej
	}
	raw, err := decodeStrictB64(jws.payloadB64)
	if err != nil {
		return Claims{}, rejectSchema("payload is not canonical base64url")
	}
	payload, err := parseStrictObject(raw)
	if err != nil {
		return Claims{}, rejectSchema("payload: " + err.Error())
	}
	c, rej := identityClaims(payload)
	if rej != nil {
		return Claims{}, rej
	}
	if c.PlanTier != "" && len(keys.PlanTiers) > 0 && !slices.Contains(keys.PlanTiers, c.PlanTier) {
		return Claims{}, rejectSchema("plan_tier is not one of the channel's plan tiers")
	}
	if rej := checkTimes(c.IssuedAt, c.ExpiresAt, v.now(), v.leeway(), keys.maxLifetime()); rej != nil {
		return Claims{}, rej
	}
	return c, nil
}

// checkIdentityHeader allows exactly alg HS256, an optional typ JWT and an
// optional opaque kid: an identity token has no use for anything else.
func checkIdentityHeader(h map[string]any) *Rejection {
	if rej := checkAlgHS256(h); rej != nil {
		return rej
	}
	if !typIsJWT(h) {
		return rejectSchema("typ is not JWT")
	}
	if !kidIsOpaque(h) {
		return rejectSchema("kid is not a short printable string")
	}
	for name := range h {
		if name != "alg" && name != "typ" && name != "kid" {
			return rejectSchema("unexpected header parameter")
		}
	}
	return nil
}

// identityClaims validates the claim schema; signed data that breaks a rule
// is refused, never truncated or cleaned (IT-06, IT-07).
func identityClaims(payload map[string]any) (Claims, *Rejection) {
	if rej := onlyKnownClaims(payload, identityClaimNames); rej != nil {
		return Claims{}, rej
	}
	var c Claims
	var rej *Rejection
	if c.UserID, rej = stringClaim(payload, "user_id"); rej != nil {
		return Claims{}, rej
	}
	if !ValidUserID(c.UserID) {
		return Claims{}, rejectSchema("user_id is empty, blank, too long or has control characters")
	}
	if c.IssuedAt, rej = intClaim(payload, "iat"); rej != nil {
		return Claims{}, rej
	}
	if c.ExpiresAt, rej = intClaim(payload, "exp"); rej != nil {
		return Claims{}, rej
	}
	for _, kyc := range []struct {
		name  string
		dst   *string
		valid func(string) bool
	}{
		{"email", &c.Email, validEmail},
		{"name", &c.Name, func(s string) bool { return printableUpTo(s, 200) }},
		{"plan_tier", &c.PlanTier, planTierPattern.MatchString},
		{"audience_tag", &c.AudienceTag, func(s string) bool { return printableUpTo(s, 64) }},
		{"company", &c.Company, func(s string) bool { return printableUpTo(s, 200) }},
		{"locale", &c.Locale, localePattern.MatchString},
	} {
		s, rej := optionalStringClaim(payload, kyc.name)
		if rej != nil {
			return Claims{}, rej
		}
		if s != "" && !kyc.valid(s) {
			return Claims{}, rejectSchema(kyc.name + " is not valid")
		}
		*kyc.dst = s
	}
	return c, nil
}

// printableUpTo reports whether s is printable and at most limit characters.
func printableUpTo(s string, limit int) bool {
	return utf8.RuneCountInString(s) <= limit && isPrintable(s)
}

// validEmail is a plausibility check, not RFC 5322: one local part of 1–64
// bytes without spaces, brackets or separators, and a dotted domain of
// letters, digits and hyphens (IDN letters allowed). It exists so that a
// claim used in escalation metadata is at least an address.
func validEmail(s string) bool {
	if len(s) > 254 || !isPrintable(s) {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.ContainsAny(local, " <>()[]\\,;:\"") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, label := range labels {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f && isPrintable(string(r))) {
				return false
			}
		}
	}
	return true
}
