package identity

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
)

// Secret prefixes make a leaked secret recognisable (by people and secret
// scanners) and say what it unlocks.
const (
	SigningSecretPrefix = "dsk_" // verifies identity tokens and assertions
	AppSecretPrefix     = "das_" // authenticates the token exchange
)

// NewSecret returns prefix followed by 256 random bits in unpadded base64url.
func NewSecret(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// HashAppSecret returns SHA-256 of an app secret. A plain hash is enough (no
// password KDF): the secret has 256 random bits, so there is nothing to
// brute-force, and verification stays cheap under a credential-stuffing load.
func HashAppSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// AppSecretMatches reports whether secret hashes to any of hashes (current
// and previous inside its grace window). It compares against every hash in
// constant time with no early exit, so timing reveals neither a near miss nor
// which secret matched (TX-02, TX-08).
func AppSecretMatches(secret string, hashes [][]byte) bool {
	h := HashAppSecret(secret)
	match := 0
	for _, want := range hashes {
		match |= subtle.ConstantTimeCompare(h, want)
	}
	return match == 1
}

// SecretHint returns a safe label for listings: the prefix and the last four
// characters, e.g. "dsk_…Ab3x". Short or unprefixed secrets show less, so a
// hint never reveals a meaningful part of a secret.
func SecretHint(secret string) string {
	prefix := ""
	if i := strings.IndexByte(secret, '_'); i > 0 && i < 8 {
		prefix = secret[:i+1]
	}
	rest := secret[len(prefix):]
	if len(rest) < 20 {
		return prefix + "…"
	}
	return prefix + "…" + rest[len(rest)-4:]
}
