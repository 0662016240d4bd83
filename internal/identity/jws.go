package identity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// Size caps applied before any decoding (IT-08, JW-17): a credential is a few
// hundred bytes, so anything near these limits is an attack, and the caps keep
// the work done for a forged token bounded.
const (
	maxTokenLen  = 4096 // whole compact token, bytes
	maxHeaderLen = 256  // decoded JOSE header, bytes
)

// compactJWS is a compact JWS split and shape-checked, header decoded
// strictly, signature and payload not yet looked at.
type compactJWS struct {
	header       map[string]any
	signingInput string // base64url(header) "." base64url(payload), as sent
	payloadB64   string
	signatureB64 string
}

// splitCompact applies the size cap, the three-part shape, strict base64url
// and strict JSON to the header. Everything here is "schema": nothing about
// the signature is known yet.
func splitCompact(token string) (compactJWS, *Rejection) {
	if len(token) > maxTokenLen {
		return compactJWS{}, rejectSchema("token longer than 4096 bytes")
	}
	if strings.Count(token, ".") != 2 {
		return compactJWS{}, rejectSchema("token is not three dot-separated parts")
	}
	h, rest, _ := strings.Cut(token, ".")
	p, s, _ := strings.Cut(rest, ".")
	if h == "" || p == "" {
		return compactJWS{}, rejectSchema("empty header or payload part")
	}
	if len(h) > base64.RawURLEncoding.EncodedLen(maxHeaderLen) {
		return compactJWS{}, rejectSchema("header longer than 256 bytes")
	}
	raw, err := decodeStrictB64(h)
	if err != nil {
		return compactJWS{}, rejectSchema("header is not canonical base64url")
	}
	header, err := parseStrictObject(raw)
	if err != nil {
		return compactJWS{}, rejectSchema("header: " + err.Error())
	}
	return compactJWS{header: header, signingInput: h + "." + p, payloadB64: p, signatureB64: s}, nil
}

var errNotCanonical = errors.New("not canonical base64url")

// decodeStrictB64 accepts exactly one encoding of any byte string: the
// unpadded base64url alphabet (Go's decoder would skip \r and \n), no
// padding, and zero unused trailing bits (IT-09, JW-13). The re-encoding
// comparison is a second guard on top of Strict().
func decodeStrictB64(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return nil, errNotCanonical
		}
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || base64.RawURLEncoding.EncodeToString(b) != s {
		return nil, errNotCanonical
	}
	return b, nil
}

// verifyHS256 checks the signature against each usable secret. Every
// comparison, whatever the MAC's length or content, goes through hmac.Equal,
// so how early a forged MAC differs does not show in the timing (IT-02).
func verifyHS256(jws compactJWS, secrets [][]byte) *Rejection {
	sig, err := decodeStrictB64(jws.signatureB64)
	if err != nil {
		return rejectSignature("signature is not canonical base64url")
	}
	keys := usableSecrets(secrets)
	if len(keys) == 0 {
		return rejectSignature("channel has no usable signing secret")
	}
	for _, key := range keys {
		if hmac.Equal(macHS256(key, jws.signingInput), sig) {
			return nil
		}
	}
	return rejectSignature("signature does not match any channel secret")
}

func macHS256(key []byte, signingInput string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signingInput))
	return m.Sum(nil)
}

// signCompact builds a compact HS256 JWS from already-encoded JSON.
func signCompact(headerJSON, payloadJSON, key []byte) string {
	input := base64.RawURLEncoding.EncodeToString(headerJSON) + "." + base64.RawURLEncoding.EncodeToString(payloadJSON)
	return input + "." + base64.RawURLEncoding.EncodeToString(macHS256(key, input))
}

// checkAlgHS256 refuses every alg but exactly "HS256" (JW-02…04): none,
// other HMAC sizes and public-key algorithms would each let a differently
// keyed or unkeyed token through. It reports "signature": such a token is not
// signed by the channel.
func checkAlgHS256(header map[string]any) *Rejection {
	if alg, _ := header["alg"].(string); alg != "HS256" {
		return rejectSignature("alg is not HS256")
	}
	return nil
}

// typIsJWT accepts an absent typ or "JWT" (media types compare
// case-insensitively, RFC 7515 §4.1.9).
func typIsJWT(header map[string]any) bool {
	typ, present := header["typ"]
	if !present {
		return true
	}
	s, ok := typ.(string)
	return ok && strings.EqualFold(s, "JWT")
}

// kidIsOpaque accepts an absent kid or a short printable string. The kid is
// never used: verification always tries the endpoint channel's own secrets,
// so it cannot name a file, a URL or another channel's key (JW-15).
func kidIsOpaque(header map[string]any) bool {
	kid, present := header["kid"]
	if !present {
		return true
	}
	s, ok := kid.(string)
	return ok && len(s) <= 128 && isPrintable(s)
}
