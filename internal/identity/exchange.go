package identity

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Exchange tokens (PROTOCOL §6.4) are our own HS256 JWTs, kept apart from
// host credentials by everything an attacker could swap: their own key
// (Keyring.ExchangeKey, never a channel signing secret), a distinct typ, a
// channel-bound aud and an exact claim set (RFC 8725 §3.11–3.12, JW-19).
const (
	exchangeTyp    = "docent-exchange+jwt"
	exchangeIssuer = "docent"
	// ExchangeAudiencePrefix + channel key is the aud of an exchange token.
	ExchangeAudiencePrefix = "docent:widget:"
	// MaxExchangeTTL is the longest lifetime IssueExchangeToken grants.
	MaxExchangeTTL = 15 * time.Minute
)

var exchangeClaimNames = map[string]bool{"iss": true, "aud": true, "sub": true, "iat": true, "exp": true, "jti": true}

// channelKeyPattern is the channel key syntax of PROTOCOL §1.
var channelKeyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// ErrInvalidExchangeRequest is wrapped by IssueExchangeToken's refusals; the
// API maps it to 400 invalid_field.
var ErrInvalidExchangeRequest = errors.New("invalid exchange token request")

// IssueExchangeToken mints an exchange token for endUserID on channelKey,
// signed with key (Keyring.ExchangeKey(channelKey)) and valid for ttl, at
// most MaxExchangeTTL (whole seconds count).
func (v *Verifier) IssueExchangeToken(channelKey, endUserID string, key []byte, ttl time.Duration) (string, time.Time, error) {
	switch {
	case !channelKeyPattern.MatchString(channelKey):
		return "", time.Time{}, fmt.Errorf("%w: channel key", ErrInvalidExchangeRequest)
	case !ValidUserID(endUserID): // TX-05
		return "", time.Time{}, fmt.Errorf("%w: endUserId must be 1–256 bytes of UTF-8 without control characters", ErrInvalidExchangeRequest)
	case ttl < time.Second || ttl > MaxExchangeTTL:
		return "", time.Time{}, fmt.Errorf("%w: ttl must be between 1s and 15m", ErrInvalidExchangeRequest)
	case len(key) < minSecretLen:
		return "", time.Time{}, fmt.Errorf("%w: signing key too short", ErrInvalidExchangeRequest)
	}
	jti, err := randomToken(16)
	if err != nil {
		return "", time.Time{}, err
	}
	iat := v.now().Truncate(time.Second).UTC()
	exp := iat.Add(ttl.Truncate(time.Second)) // NumericDate has whole seconds
	payload, err := json.Marshal(struct {
		Iss string `json:"iss"`
		Aud string `json:"aud"`
		Sub string `json:"sub"`
		Iat int64  `json:"iat"`
		Exp int64  `json:"exp"`
		JTI string `json:"jti"`
	}{exchangeIssuer, ExchangeAudiencePrefix + channelKey, endUserID, iat.Unix(), exp.Unix(), jti})
	if err != nil {
		return "", time.Time{}, err
	}
	header := []byte(`{"alg":"HS256","typ":"` + exchangeTyp + `"}`)
	return signCompact(header, payload, key), exp, nil
}

// VerifyExchangeToken verifies an exchange token presented on channelKey with
// the channel's exchange keys (current first). A token of another channel
// fails on key and aud (TX-09); past exp plus leeway it is ReasonExpired.
func (v *Verifier) VerifyExchangeToken(token, channelKey string, keys [][]byte) (Claims, error) {
	jws, rej := splitCompact(token)
	if rej != nil {
		return Claims{}, rej
	}
	if rej := checkAlgHS256(jws.header); rej != nil {
		return Claims{}, rej
	}
	if typ, _ := jws.header["typ"].(string); typ != exchangeTyp || len(jws.header) != 2 {
		return Claims{}, rejectSchema("header is not an exchange token header")
	}
	if rej := verifyHS256(jws, keys); rej != nil {
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
	c, rej := exchangeClaims(payload, channelKey)
	if rej != nil {
		return Claims{}, rej
	}
	if rej := checkTimes(c.IssuedAt, c.ExpiresAt, v.now(), v.leeway(), MaxExchangeTTL); rej != nil {
		return Claims{}, rej
	}
	return c, nil
}

func exchangeClaims(payload map[string]any, channelKey string) (Claims, *Rejection) {
	if rej := onlyKnownClaims(payload, exchangeClaimNames); rej != nil {
		return Claims{}, rej
	}
	var c Claims
	var rej *Rejection
	if c.Issuer, rej = stringClaim(payload, "iss"); rej != nil {
		return Claims{}, rej
	}
	if c.Issuer != exchangeIssuer {
		return Claims{}, rejectSchema("iss is not docent")
	}
	aud, rej := stringClaim(payload, "aud")
	if rej != nil {
		return Claims{}, rej
	}
	if channelKey == "" || aud != ExchangeAudiencePrefix+channelKey {
		return Claims{}, rejectSchema("aud is not this channel")
	}
	if c.UserID, rej = stringClaim(payload, "sub"); rej != nil {
		return Claims{}, rej
	}
	if !ValidUserID(c.UserID) {
		return Claims{}, rejectSchema("sub is not a valid user id")
	}
	if c.JTI, rej = stringClaim(payload, "jti"); rej != nil {
		return Claims{}, rej
	}
	if c.JTI == "" || len(c.JTI) > 128 || !isPrintable(c.JTI) {
		return Claims{}, rejectSchema("jti is not 1–128 printable characters")
	}
	if c.IssuedAt, rej = intClaim(payload, "iat"); rej != nil {
		return Claims{}, rej
	}
	if c.ExpiresAt, rej = intClaim(payload, "exp"); rej != nil {
		return Claims{}, rej
	}
	return c, nil
}

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
