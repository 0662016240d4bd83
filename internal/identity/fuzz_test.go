package identity

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func fuzzKeys() ChannelKeys {
	return ChannelKeys{ChannelKey: "chan-a", Secrets: [][]byte{secretA, secretAPrev}}
}

// addTokenSeeds seeds (header, payload, token) with valid and hostile cases.
func addTokenSeeds(f *testing.F, valid map[string]any, sign func([]byte, map[string]any) string) {
	payload, _ := json.Marshal(valid)
	tok := sign(secretA, valid)
	h, p, s, _ := cut3(tok)
	for _, seed := range [][3]string{
		{jwtHeader, string(payload), tok},
		{`{"alg":"HS256","alg":"none"}`, `{"user_id":"a","USER_ID":"b","sub":"a","SUB":"b"}`, h + "." + p + "." + s + "="},
		{`{"alg":"none"}`, `{"user_id":"a\ud800b","iat":1e3,"exp":"1"}`, h + "." + p + "."},
		{`{"alg":"HS256","kid":"../../etc/passwd","jku":"http://x"}`, `{"exp":1.5,"iat":-1}`, strings.Repeat(".", 5000)},
		{jwtHeader, `{"user_id":"\u0000","exp":9223372036854775808}`, sign(secretB, valid)},
		{jwtHeader, `[]`, h + "." + alterUnusedBits(p) + "." + s},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
}

// checkCanonicalSignature fails unless tok is exactly the canonical HS256
// encoding of its own header and payload under one of secrets.
func checkCanonicalSignature(t *testing.T, tok string, secrets [][]byte) {
	t.Helper()
	i := strings.LastIndexByte(tok, '.')
	for _, secret := range secrets {
		if tok[i+1:] == base64.RawURLEncoding.EncodeToString(macHS256(secret, tok[:i])) {
			return
		}
	}
	t.Fatalf("accepted a token not signed canonically with a channel secret: %q", tok)
}

func checkRejection(t *testing.T, err error) {
	t.Helper()
	switch ReasonOf(err) {
	case ReasonSignature, ReasonExpired, ReasonSchema:
	default:
		t.Fatalf("unexpected error %v", err)
	}
}

func FuzzIdentityToken(f *testing.F) {
	addTokenSeeds(f, identityClaimsMap(), SignIdentityToken)
	v, keys := testVerifier(), fuzzKeys()
	f.Fuzz(func(t *testing.T, header, payload, token string) {
		for _, tok := range []string{rawToken(secretA, header, payload), token} {
			c, err := v.VerifyIdentityToken(tok, keys)
			if err != nil {
				checkRejection(t, err)
				continue
			}
			checkCanonicalSignature(t, tok, keys.Secrets)
			if again, err := v.VerifyIdentityToken(tok, keys); err != nil || again != c {
				t.Fatalf("re-verification differs: %+v, %v", again, err)
			}
			// encoding/json, with its case folding, must read the same user.
			var std struct {
				UserID string `json:"user_id"`
				Email  string `json:"email"`
			}
			_, p, _, _ := cut3(tok)
			raw, _ := base64.RawURLEncoding.DecodeString(p)
			if err := json.Unmarshal(raw, &std); err != nil || std.UserID != c.UserID || std.Email != c.Email {
				t.Fatalf("encoding/json reads %+v (%v), verifier %+v", std, err, c)
			}
			if !ValidUserID(c.UserID) || c.ExpiresAt.Sub(c.IssuedAt) > defaultMaxLifetime ||
				!c.ExpiresAt.After(testNow.Add(-defaultLeeway)) || c.IssuedAt.After(testNow.Add(defaultLeeway)) {
				t.Fatalf("accepted claims break a rule: %+v", c)
			}
		}
	})
}

func FuzzAssertion(f *testing.F) {
	addTokenSeeds(f, assertionClaimsMap(), SignAssertion)
	v, keys := testVerifier(), fuzzKeys()
	f.Fuzz(func(t *testing.T, header, payload, token string) {
		for _, tok := range []string{rawToken(secretA, header, payload), token} {
			c, err := v.VerifyAssertion(tok, keys)
			if err != nil {
				checkRejection(t, err)
				continue
			}
			checkCanonicalSignature(t, tok, keys.Secrets)
			if again, err := v.VerifyAssertion(tok, keys); err != nil || again != c {
				t.Fatalf("re-verification differs: %+v, %v", again, err)
			}
			var std struct {
				Sub         string `json:"sub"`
				ChannelSlug string `json:"channel_slug"`
				JTI         string `json:"jti"`
			}
			_, p, _, _ := cut3(tok)
			raw, _ := base64.RawURLEncoding.DecodeString(p)
			if err := json.Unmarshal(raw, &std); err != nil || std.Sub != c.UserID || std.JTI != c.JTI || std.ChannelSlug != "chan-a" {
				t.Fatalf("encoding/json reads %+v (%v), verifier %+v", std, err, c)
			}
			if lifetime := c.ExpiresAt.Sub(c.IssuedAt); lifetime <= 0 || lifetime > 300*time.Second || c.JTI == "" {
				t.Fatalf("accepted claims break a rule: %+v", c)
			}
		}
	})
}

func FuzzExchangeToken(f *testing.F) {
	key := testKeyring(f).ExchangeKey("chan-a")
	tok, _, err := testVerifier().IssueExchangeToken("chan-a", "user-1", key, time.Minute)
	if err != nil {
		f.Fatal(err)
	}
	h, p, s, _ := cut3(tok)
	f.Add(tok)
	f.Add(h + "." + p + "." + s + "=")
	f.Add(SignAssertion(key, assertionClaimsMap()))
	v := testVerifier()
	f.Fuzz(func(t *testing.T, token string) {
		c, err := v.VerifyExchangeToken(token, "chan-a", [][]byte{key})
		if err != nil {
			checkRejection(t, err)
			return
		}
		checkCanonicalSignature(t, token, [][]byte{key})
		if c.Issuer != "docent" || !ValidUserID(c.UserID) || c.ExpiresAt.Sub(c.IssuedAt) > MaxExchangeTTL {
			t.Fatalf("accepted claims break a rule: %+v", c)
		}
	})
}

func FuzzPersonaUserID(f *testing.F) {
	for _, s := range []string{"42", "042", "9007199254740993", "-1", " 7", "1e3", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, in := range []any{s, json.Number(s)} {
			got, ok := ValidPersonaUserID(PersonaCustomer, in)
			if ok && (got != s || got == "0" || len(got) > 16) {
				t.Fatalf("customer id %q → %q", s, got)
			}
			if got, ok := ValidPersonaUserID(PersonaPublic, in); ok && got != "" && got != s {
				t.Fatalf("public id %q → %q", s, got)
			}
		}
	})
}

// cut3 splits a compact token into its three parts.
func cut3(tok string) (h, p, s string, ok bool) {
	h, rest, ok1 := strings.Cut(tok, ".")
	p, s, ok2 := strings.Cut(rest, ".")
	return h, p, s, ok1 && ok2
}
