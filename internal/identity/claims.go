package identity

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxSafeInteger is 2^53: the largest integer every JSON implementation (and
// JavaScript on the host) represents exactly.
const maxSafeInteger = 1 << 53

// maxUserIDLen caps user ids in bytes: long enough for any host's ids (UUIDs,
// emails, URNs), short enough to index.
const maxUserIDLen = 256

// ValidUserID reports whether s is acceptable as a user id from any source
// (identity token user_id, assertion sub, exchange endUserId): non-empty, not
// only whitespace, at most 256 bytes, valid UTF-8 and free of control
// characters. The id is kept exactly as given: no trimming or folding, so two
// different host ids never become one.
func ValidUserID(s string) bool {
	if s == "" || len(s) > maxUserIDLen || !utf8.ValidString(s) {
		return false
	}
	blank := true
	for _, r := range s {
		if isControl(r) {
			return false
		}
		if !unicode.IsSpace(r) {
			blank = false
		}
	}
	return !blank
}

// isPrintable reports whether s is valid UTF-8 made only of printable runes
// (letters, marks, numbers, punctuation, symbols and the ASCII space).
func isPrintable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// intClaim reads a required NumericDate: a JSON integer literal, not a
// string, not a fraction or exponent (1.5, 1e3), not negative, not beyond
// 2^53 (IT-04).
func intClaim(claims map[string]any, name string) (time.Time, *Rejection) {
	v, present := claims[name]
	if !present {
		return time.Time{}, rejectSchema(name + " is missing")
	}
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, rejectSchema(name + " is not a number")
	}
	secs, ok := parseSafeUint(string(n))
	if !ok {
		return time.Time{}, rejectSchema(name + " is not a non-negative integer up to 2^53")
	}
	return time.Unix(secs, 0).UTC(), nil
}

// parseSafeUint parses a plain decimal integer literal in [0, 2^53]: digits
// only, no sign, no leading zeros.
func parseSafeUint(s string) (int64, bool) {
	if s == "" || len(s) > 16 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > maxSafeInteger {
		return 0, false
	}
	return n, true
}

// stringClaim reads a required string claim.
func stringClaim(claims map[string]any, name string) (string, *Rejection) {
	v, present := claims[name]
	if !present {
		return "", rejectSchema(name + " is missing")
	}
	s, ok := v.(string)
	if !ok {
		return "", rejectSchema(name + " is not a string")
	}
	return s, nil
}

// optionalStringClaim reads an optional string claim; absent, null and ""
// all mean "not given" (hosts often serialize an unknown attribute that way).
func optionalStringClaim(claims map[string]any, name string) (string, *Rejection) {
	v, present := claims[name]
	if !present || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", rejectSchema(name + " is not a string")
	}
	return s, nil
}

// checkTimes applies the time rules shared by every credential: exp after
// iat, a lifetime cap, iat not in the future beyond the leeway, and exp not
// in the past beyond the leeway (the only check that yields "expired").
func checkTimes(iat, exp, now time.Time, leeway, maxLifetime time.Duration) *Rejection {
	if !exp.After(iat) {
		return rejectSchema("exp is not after iat")
	}
	if exp.Sub(iat) > maxLifetime {
		return rejectSchema("exp − iat exceeds the lifetime cap")
	}
	if iat.After(now.Add(leeway)) {
		return rejectSchema("iat is in the future")
	}
	if !exp.After(now.Add(-leeway)) {
		return rejectExpired("exp has passed")
	}
	return nil
}

// onlyKnownClaims refuses claims outside the allowed set: signed data we do
// not understand is not silently ignored, and it is what keeps a credential
// of one kind from passing as another (IT-12).
func onlyKnownClaims(claims map[string]any, allowed map[string]bool) *Rejection {
	for name := range claims {
		if !allowed[name] {
			return rejectSchema("unknown claim " + strconv.Quote(truncateName(name)))
		}
	}
	return nil
}

// truncateName keeps log details short when a claim name is hostile.
func truncateName(name string) string {
	if len(name) <= 32 {
		return name
	}
	return strings.ToValidUTF8(name[:32], "") + "…"
}
