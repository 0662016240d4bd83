package identity

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTX01_ExchangeTokenShape(t *testing.T) {
	v := testVerifier()
	key := testKeyring(t).ExchangeKey("chan-a")
	tok, expiresAt, err := v.IssueExchangeToken("chan-a", "user-42", key, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !expiresAt.Equal(testNow.Add(15 * time.Minute)) {
		t.Errorf("expiresAt = %v", expiresAt)
	}
	h, p, _ := splitToken(t, tok)
	header, _ := decodeStrictB64(h)
	if string(header) != `{"alg":"HS256","typ":"docent-exchange+jwt"}` {
		t.Errorf("header = %s", header)
	}
	raw, _ := decodeStrictB64(p)
	payload, err := parseStrictObject(raw)
	if err != nil {
		t.Fatal(err)
	}
	if payload["iss"] != "docent" || payload["aud"] != "docent:widget:chan-a" || payload["sub"] != "user-42" {
		t.Errorf("payload = %v", payload)
	}
	got, err := v.VerifyExchangeToken(tok, "chan-a", [][]byte{key})
	if err != nil {
		t.Fatal(err)
	}
	if got.UserID != "user-42" || got.Issuer != "docent" || got.JTI == "" || !got.ExpiresAt.Equal(expiresAt) || !got.IssuedAt.Equal(testNow) {
		t.Errorf("claims = %+v", got)
	}
	again, _, _ := v.IssueExchangeToken("chan-a", "user-42", key, 15*time.Minute)
	if again == tok {
		t.Error("two issued tokens are identical: jti is not random")
	}
}

func TestTX01_ExchangeTTLCapped(t *testing.T) {
	key := testKeyring(t).ExchangeKey("chan-a")
	for _, ttl := range []time.Duration{15*time.Minute + time.Second, time.Hour, 0, -time.Minute, 500 * time.Millisecond} {
		if _, _, err := testVerifier().IssueExchangeToken("chan-a", "u", key, ttl); !errors.Is(err, ErrInvalidExchangeRequest) {
			t.Errorf("ttl %v: err = %v", ttl, err)
		}
	}
	// A token claiming a longer life than 15 min is refused even if signed with our key.
	long := rawToken(key, `{"alg":"HS256","typ":"docent-exchange+jwt"}`,
		`{"iss":"docent","aud":"docent:widget:chan-a","sub":"u","jti":"j","iat":1800000000,"exp":1800000901}`)
	_, err := testVerifier().VerifyExchangeToken(long, "chan-a", [][]byte{key})
	wantReason(t, err, ReasonSchema)
}

func TestTX05_BadEndUserIDRefused(t *testing.T) {
	key := testKeyring(t).ExchangeKey("chan-a")
	for name, id := range map[string]string{
		"empty": "", "1 KB": strings.Repeat("u", 1024), "invalid UTF-8": "a\xffb",
		"NUL": "a\x00b", "newline": "a\nb", "blank": "  ",
	} {
		t.Run(name, func(t *testing.T) {
			if ValidUserID(id) {
				t.Error("ValidUserID accepted it")
			}
			if _, _, err := testVerifier().IssueExchangeToken("chan-a", id, key, time.Minute); !errors.Is(err, ErrInvalidExchangeRequest) {
				t.Errorf("err = %v", err)
			}
		})
	}
	for _, key := range [][]byte{nil, []byte("short")} {
		if _, _, err := testVerifier().IssueExchangeToken("chan-a", "u", key, time.Minute); !errors.Is(err, ErrInvalidExchangeRequest) {
			t.Errorf("key %q: err = %v", key, err)
		}
	}
	if _, _, err := testVerifier().IssueExchangeToken("Bad Key", "u", key, time.Minute); !errors.Is(err, ErrInvalidExchangeRequest) {
		t.Errorf("bad channel key: err = %v", err)
	}
}

func TestTX08_ExchangeKeyRotation(t *testing.T) {
	oldRing, newRing := testKeyring(t), otherKeyring(t)
	v := testVerifier()
	tok, _, err := v.IssueExchangeToken("chan-a", "u", oldRing.ExchangeKey("chan-a"), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyExchangeToken(tok, "chan-a", [][]byte{newRing.ExchangeKey("chan-a"), oldRing.ExchangeKey("chan-a")}); err != nil {
		t.Fatalf("with the previous key still listed: %v", err)
	}
	_, err = v.VerifyExchangeToken(tok, "chan-a", [][]byte{newRing.ExchangeKey("chan-a")})
	wantReason(t, err, ReasonSignature)
}

func TestTX09_ExpiredOrOtherChannelExchangeTokenRejected(t *testing.T) {
	ring := testKeyring(t)
	issuedAt := testNow.Add(-10 * time.Minute)
	issuer := &Verifier{Now: func() time.Time { return issuedAt }}
	tok, exp, err := issuer.IssueExchangeToken("chan-a", "u", ring.ExchangeKey("chan-a"), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d time.Time) *Verifier { return &Verifier{Now: func() time.Time { return d }} }
	if _, err := at(exp.Add(29*time.Second)).VerifyExchangeToken(tok, "chan-a", [][]byte{ring.ExchangeKey("chan-a")}); err != nil {
		t.Errorf("inside leeway: %v", err)
	}
	_, err = at(exp.Add(31*time.Second)).VerifyExchangeToken(tok, "chan-a", [][]byte{ring.ExchangeKey("chan-a")})
	wantReason(t, err, ReasonExpired)

	fresh, _, _ := testVerifier().IssueExchangeToken("chan-a", "u", ring.ExchangeKey("chan-a"), 5*time.Minute)
	_, err = testVerifier().VerifyExchangeToken(fresh, "chan-b", [][]byte{ring.ExchangeKey("chan-b")})
	wantReason(t, err, ReasonSignature)
	// Even verified with channel A's key, aud names channel A, not B.
	_, err = testVerifier().VerifyExchangeToken(fresh, "chan-b", [][]byte{ring.ExchangeKey("chan-a")})
	wantReason(t, err, ReasonSchema)
}

// JW-19 in reverse: host credentials never pass as our exchange tokens.
func TestJW19_HostCredentialsAreNotExchangeTokens(t *testing.T) {
	key := testKeyring(t).ExchangeKey("chan-a")
	for name, tok := range map[string]string{
		"assertion":      SignAssertion(key, assertionClaimsMap()),
		"identity token": SignIdentityToken(key, identityClaimsMap()),
		"typ JWT exchange claims": rawToken(key, jwtHeader,
			`{"iss":"docent","aud":"docent:widget:chan-a","sub":"u","jti":"j","iat":1800000000,"exp":1800000060}`),
		"extra header param": rawToken(key, `{"alg":"HS256","typ":"docent-exchange+jwt","kid":"x"}`,
			`{"iss":"docent","aud":"docent:widget:chan-a","sub":"u","jti":"j","iat":1800000000,"exp":1800000060}`),
		"extra claim": rawToken(key, `{"alg":"HS256","typ":"docent-exchange+jwt"}`,
			`{"iss":"docent","aud":"docent:widget:chan-a","sub":"u","jti":"j","iat":1800000000,"exp":1800000060,"channel_slug":"chan-a"}`),
		"wrong iss": rawToken(key, `{"alg":"HS256","typ":"docent-exchange+jwt"}`,
			`{"iss":"host","aud":"docent:widget:chan-a","sub":"u","jti":"j","iat":1800000000,"exp":1800000060}`),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := testVerifier().VerifyExchangeToken(tok, "chan-a", [][]byte{key})
			wantReason(t, err, ReasonSchema)
		})
	}
}
