package identity

import (
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// maxAssertionLifetime is the §6.2 cap on exp − iat: assertions are minted
// per login, so five minutes is plenty and bounds the replay table.
const maxAssertionLifetime = 300 * time.Second

// VerifyAssertion verifies a host assertion (PROTOCOL §6.2) with the secrets
// of the endpoint's channel. It does NOT check replay: the caller records
// (channel, Claims.Issuer, Claims.JTI) durably until Claims.ExpiresAt plus
// the leeway and maps a duplicate to ReasonReplayed.
//
// Order: size cap and strict header → our constant-time HMAC check →
// golang-jwt with the hardened options of SECURITY §1.4 (alg, signature,
// exp, iat, nbf, iss) → our checks of what the library does not cover (iat
// present, lifetime ≤ 300 s, sub, channel_slug, jti), on a strict re-parse
// of the payload because the library decodes with encoding/json and would
// let a duplicate key win.
func (v *Verifier) VerifyAssertion(token string, keys ChannelKeys) (Claims, error) {
	jws, rej := splitCompact(token) // size cap before the library sees it (JW-17)
	if rej != nil {
		return Claims{}, rej
	}
	if rej := checkAssertionHeader(jws.header); rej != nil {
		return Claims{}, rej
	}
	// Our own constant-time check first, so a forged token never reaches a
	// JSON decoder and signature problems always read "signature"; the
	// library then verifies again.
	if rej := verifyHS256(jws, keys.Secrets); rej != nil {
		return Claims{}, rej
	}
	secrets := usableSecrets(keys.Secrets)
	if _, err := v.assertionParser(keys).ParseWithClaims(token, jwt.MapClaims{}, channelKeyfunc(secrets)); err != nil {
		return Claims{}, jwtRejection(err) // any error rejects; expired is never soft (JW-18)
	}
	raw, err := decodeStrictB64(jws.payloadB64)
	if err != nil {
		return Claims{}, rejectSchema("payload is not canonical base64url")
	}
	payload, err := parseStrictObject(raw)
	if err != nil {
		return Claims{}, rejectSchema("payload: " + err.Error())
	}
	return v.assertionClaims(payload, keys)
}

func (v *Verifier) assertionParser(keys ChannelKeys) *jwt.Parser {
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{"HS256"}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(v.leeway()),
		jwt.WithStrictDecoding(),
		jwt.WithJSONNumber(),
		jwt.WithTimeFunc(v.now),
	}
	if keys.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(keys.Issuer)) // makes iss required and exact (JW-14)
	}
	return jwt.NewParser(opts...)
}

// channelKeyfunc offers only the endpoint channel's secrets, whatever the
// header says: kid, jku, jwk, x5u and x5c are never consulted (JW-15, JW-16).
func channelKeyfunc(secrets [][]byte) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodHS256 {
			return nil, errors.New("signing method is not HS256")
		}
		set := jwt.VerificationKeySet{Keys: make([]jwt.VerificationKey, 0, len(secrets))}
		for _, s := range secrets {
			set.Keys = append(set.Keys, s)
		}
		return set, nil
	}
}

// jwtRejection maps a golang-jwt error to a coarse reason. Signature wins
// over expiry so a forged expired token says "signature".
func jwtRejection(err error) *Rejection {
	switch {
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return rejectSignature("assertion signature or alg is invalid")
	case errors.Is(err, jwt.ErrTokenExpired):
		return rejectExpired("assertion exp has passed")
	default:
		return rejectSchema("assertion claims are invalid")
	}
}

// checkAssertionHeader refuses what the library would not: a typ other than
// JWT (our own exchange tokens say docent-exchange+jwt: JW-19), critical
// extensions we do not implement (RFC 7515 §4.1.11) and a kid that is not a
// short opaque string. jku, jwk, x5u and x5c are allowed and ignored.
func checkAssertionHeader(h map[string]any) *Rejection {
	if rej := checkAlgHS256(h); rej != nil {
		return rej
	}
	if !typIsJWT(h) {
		return rejectSchema("typ is not JWT")
	}
	if _, crit := h["crit"]; crit {
		return rejectSchema("crit header is not supported")
	}
	if !kidIsOpaque(h) {
		return rejectSchema("kid is not a short printable string")
	}
	return nil
}

// assertionClaims applies the rules the library does not know. Unknown
// claims are allowed (hosts add their own), but the known ones are typed
// strictly.
func (v *Verifier) assertionClaims(payload map[string]any, keys ChannelKeys) (Claims, error) {
	var c Claims
	var rej *Rejection
	if c.IssuedAt, rej = intClaim(payload, "iat"); rej != nil { // JW-06
		return Claims{}, rej
	}
	if c.ExpiresAt, rej = intClaim(payload, "exp"); rej != nil {
		return Claims{}, rej
	}
	if c.UserID, rej = stringClaim(payload, "sub"); rej != nil {
		return Claims{}, rej
	}
	if !ValidUserID(c.UserID) { // JW-21
		return Claims{}, rejectSchema("sub is empty, blank, too long or has control characters")
	}
	slug, rej := stringClaim(payload, "channel_slug")
	if rej != nil {
		return Claims{}, rej
	}
	if keys.ChannelKey == "" || slug != keys.ChannelKey { // JW-10
		return Claims{}, rejectSchema("channel_slug is not this channel")
	}
	if c.JTI, rej = stringClaim(payload, "jti"); rej != nil { // JW-12
		return Claims{}, rej
	}
	if c.JTI == "" || len(c.JTI) > 128 || !isPrintable(c.JTI) {
		return Claims{}, rejectSchema("jti is not 1–128 printable characters")
	}
	if c.Issuer, rej = optionalStringClaim(payload, "iss"); rej != nil {
		return Claims{}, rej
	}
	if len(c.Issuer) > 256 || !isPrintable(c.Issuer) || (keys.Issuer != "" && c.Issuer != keys.Issuer) {
		return Claims{}, rejectSchema("iss is not the configured issuer")
	}
	now, leeway := v.now(), v.leeway()
	if _, present := payload["nbf"]; present { // JW-20
		nbf, rej := intClaim(payload, "nbf")
		if rej != nil {
			return Claims{}, rej
		}
		if nbf.After(now.Add(leeway)) {
			return Claims{}, rejectSchema("nbf is in the future")
		}
	}
	if rej := checkTimes(c.IssuedAt, c.ExpiresAt, now, leeway, maxAssertionLifetime); rej != nil {
		return Claims{}, rej
	}
	return c, nil
}
