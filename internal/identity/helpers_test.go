package identity

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// testNow is the fixed clock every test verifies against.
var testNow = time.Unix(1_800_000_000, 0).UTC()

var (
	secretA     = []byte("dsk_channel-a-current-secret-0123456789abcdef")
	secretAPrev = []byte("dsk_channel-a-previous-secret-0123456789abcde")
	secretB     = []byte("dsk_channel-b-current-secret-0123456789abcdef")
)

func testVerifier() *Verifier {
	return &Verifier{Now: func() time.Time { return testNow }}
}

func keysA() ChannelKeys {
	return ChannelKeys{ChannelKey: "chan-a", Secrets: [][]byte{secretA}}
}

// identityClaimsMap is a valid identity token payload; each call returns a
// fresh map that a test may change.
func identityClaimsMap() map[string]any {
	return map[string]any{
		"user_id":   "alice",
		"iat":       testNow.Unix() - 60,
		"exp":       testNow.Unix() + 240,
		"email":     "alice@example.com",
		"name":      "Alice Example",
		"plan_tier": "pro",
		"locale":    "fr-CA",
	}
}

// assertionClaimsMap is a valid assertion payload for chan-a (JW-01).
func assertionClaimsMap() map[string]any {
	return map[string]any{
		"sub":          "user-42",
		"channel_slug": "chan-a",
		"iat":          testNow.Unix(),
		"exp":          testNow.Unix() + 300,
		"jti":          "jti-0001",
	}
}

// with returns a copy of m with the changes applied; a nil value deletes.
func with(m map[string]any, changes map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// rawToken signs exact header and payload text, for JSON that json.Marshal
// would never produce (duplicate keys, surrogates, 1e3…).
func rawToken(secret []byte, header, payload string) string {
	return signCompact([]byte(header), []byte(payload), secret)
}

const jwtHeader = `{"alg":"HS256","typ":"JWT"}`

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// wantReason fails unless err is a *Rejection with the given reason.
func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	var rej *Rejection
	if !errors.As(err, &rej) {
		t.Fatalf("error = %v, want a *Rejection with reason %q", err, reason)
	}
	if rej.Reason != reason {
		t.Fatalf("reason = %q (%s), want %q", rej.Reason, rej.Detail, reason)
	}
}

// alterUnusedBits re-encodes the last character of a part so that it decodes
// to the same bytes with non-zero unused bits (a second encoding).
func alterUnusedBits(part string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, part[len(part)-1])
	unused := map[int]int{2: 4, 3: 2}[len(part)%4] // unused bits in the last char
	if unused == 0 {
		panic("part has no unused bits")
	}
	return part[:len(part)-1] + string(alphabet[last|1])
}

func splitToken(t *testing.T, token string) (header, payload, sig string) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	return parts[0], parts[1], parts[2]
}
