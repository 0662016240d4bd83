package identity

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
)

func verifyAssertion(t *testing.T, token string, keys ChannelKeys) (Claims, error) {
	t.Helper()
	return testVerifier().VerifyAssertion(token, keys)
}

func TestJW01_ValidAssertionVerified(t *testing.T) {
	claims := with(assertionClaimsMap(), map[string]any{"iss": "https://app.example", "aud": "anything", "custom": "kept out"})
	got, err := verifyAssertion(t, SignAssertion(secretA, claims), keysA())
	if err != nil {
		t.Fatal(err)
	}
	want := Claims{UserID: "user-42", IssuedAt: testNow, ExpiresAt: testNow.Add(300 * time.Second), JTI: "jti-0001", Issuer: "https://app.example"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
}

func TestJW02_AlgNoneRejected(t *testing.T) {
	payload := b64(mustJSON(t, assertionClaimsMap()))
	for _, alg := range []string{"none", "None", "NONE", ""} {
		t.Run(alg, func(t *testing.T) {
			tok := b64(`{"alg":"`+alg+`","typ":"JWT"}`) + "." + payload + "."
			_, err := verifyAssertion(t, tok, keysA())
			wantReason(t, err, ReasonSignature)
		})
	}
}

func TestJW03_OtherHMACSizesRejected(t *testing.T) {
	for _, method := range []jwt.SigningMethod{jwt.SigningMethodHS384, jwt.SigningMethodHS512} {
		t.Run(method.Alg(), func(t *testing.T) {
			tok, err := jwt.NewWithClaims(method, jwt.MapClaims(assertionClaimsMap())).SignedString(secretA)
			if err != nil {
				t.Fatal(err)
			}
			_, err = verifyAssertion(t, tok, keysA())
			wantReason(t, err, ReasonSignature)
		})
	}
}

func TestJW04_PublicKeyAlgsRejected(t *testing.T) {
	payload := b64(mustJSON(t, assertionClaimsMap()))
	for _, alg := range []string{"RS256", "ES256", "EdDSA", "PS256"} {
		t.Run(alg, func(t *testing.T) {
			tok := b64(`{"alg":"`+alg+`"}`) + "." + payload + "." + b64(strings.Repeat("s", 64))
			_, err := verifyAssertion(t, tok, keysA())
			wantReason(t, err, ReasonSignature)
		})
	}
}

func TestJW05_MissingExpRejected(t *testing.T) {
	_, err := verifyAssertion(t, SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"exp": nil})), keysA())
	wantReason(t, err, ReasonSchema)
}

func TestJW06_MissingIatRejected(t *testing.T) {
	_, err := verifyAssertion(t, SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"iat": nil})), keysA())
	wantReason(t, err, ReasonSchema)
}

func TestJW07_LifetimeOver300sRejected(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lifetime int64
		ok       bool
	}{
		{"300 s accepted", 300, true},
		{"301 s rejected", 301, false},
		{"exp before iat rejected", -1, false},
		{"exp equal to iat rejected", 0, false},
		{"24 h rejected", 86400, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iat := testNow.Unix() - 10
			_, err := verifyAssertion(t, SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"iat": iat, "exp": iat + tc.lifetime})), keysA())
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestJW08_FutureIatRejected(t *testing.T) {
	iat := testNow.Unix() + 600
	_, err := verifyAssertion(t, SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"iat": iat, "exp": iat + 60})), keysA())
	wantReason(t, err, ReasonSchema)
}

func TestJW09_ExpiryLeeway(t *testing.T) {
	for _, tc := range []struct {
		name string
		exp  int64
		ok   bool
	}{{"now − (leeway+1s)", testNow.Unix() - 31, false}, {"now − (leeway−1s)", testNow.Unix() - 29, true}} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := verifyAssertion(t, SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"iat": tc.exp - 300, "exp": tc.exp})), keysA())
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantReason(t, err, ReasonExpired)
		})
	}
}

func TestJW10_OtherChannelAssertionRejected(t *testing.T) {
	forB := with(assertionClaimsMap(), map[string]any{"channel_slug": "chan-b"})
	_, err := verifyAssertion(t, SignAssertion(secretB, forB), keysA())
	wantReason(t, err, ReasonSignature)
	_, err = verifyAssertion(t, SignAssertion(secretA, forB), keysA())
	wantReason(t, err, ReasonSchema)
	for _, slug := range []any{"Chan-A", "chan-a ", "", 7, nil} {
		_, err = verifyAssertion(t, SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"channel_slug": slug})), keysA())
		wantReason(t, err, ReasonSchema)
	}
	_, err = verifyAssertion(t, SignAssertion(secretA, assertionClaimsMap()), ChannelKeys{Secrets: [][]byte{secretA}})
	wantReason(t, err, ReasonSchema) // no channel key configured: nothing matches
}

// JW-11: replay itself is the caller's durable check; the verifier is
// stateless and hands back the replay key (channel, Issuer, JTI).
func TestJW11_ReplayKeyReturnedForCallerCheck(t *testing.T) {
	tok := SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"iss": "host"}))
	first, err := verifyAssertion(t, tok, keysA())
	if err != nil {
		t.Fatal(err)
	}
	second, err := verifyAssertion(t, tok, keysA())
	if err != nil {
		t.Fatal(err)
	}
	if first.JTI != "jti-0001" || first.Issuer != "host" || first != second {
		t.Errorf("replay key = (%q, %q), second = %+v", first.Issuer, first.JTI, second)
	}
}

func TestJW12_BadJTIRejected(t *testing.T) {
	for name, jti := range map[string]any{
		"missing": nil, "empty": "", "1 KB": strings.Repeat("j", 1024), "129 chars": strings.Repeat("j", 129),
		"numeric": 12345, "array": []string{"a"}, "control char": "a\x01b", "object": map[string]any{},
	} {
		t.Run(name, func(t *testing.T) {
			claims := with(assertionClaimsMap(), map[string]any{"jti": jti})
			if jti == nil {
				delete(claims, "jti")
			}
			_, err := verifyAssertion(t, SignAssertion(secretA, claims), keysA())
			wantReason(t, err, ReasonSchema)
		})
	}
	if _, err := verifyAssertion(t, SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"jti": strings.Repeat("j", 128)})), keysA()); err != nil {
		t.Errorf("128-char jti: %v", err)
	}
}

func TestJW13_SecondEncodingOfSignatureRejected(t *testing.T) {
	tok := SignAssertion(secretA, assertionClaimsMap())
	h, p, s := splitToken(t, tok)
	_, err := verifyAssertion(t, h+"."+p+"."+alterUnusedBits(s), keysA())
	wantReason(t, err, ReasonSignature)
	_, err = verifyAssertion(t, h+"."+p+"."+s+"=", keysA())
	wantReason(t, err, ReasonSignature)
}

func TestJW14_IssuerMustMatchWhenConfigured(t *testing.T) {
	keys := keysA()
	keys.Issuer = "https://app.example"
	for name, iss := range map[string]any{"different": "https://evil.example", "missing": nil, "case variant": "HTTPS://app.example", "array": []string{"https://app.example"}} {
		t.Run(name, func(t *testing.T) {
			claims := with(assertionClaimsMap(), map[string]any{"iss": iss})
			if iss == nil {
				delete(claims, "iss")
			}
			_, err := verifyAssertion(t, SignAssertion(secretA, claims), keys)
			wantReason(t, err, ReasonSchema)
		})
	}
	got, err := verifyAssertion(t, SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"iss": "https://app.example"})), keys)
	if err != nil || got.Issuer != "https://app.example" {
		t.Fatalf("matching iss: %+v, %v", got, err)
	}
}

// JW-15: kid is never a lookup key, a path or a query: the channel's own
// secrets are tried whatever it says.
func TestJW15_KidIsOpaque(t *testing.T) {
	payload := mustJSON(t, assertionClaimsMap())
	for _, kid := range []string{"' OR 1=1--", "../../etc/passwd", "no-such-key", "/dev/zero"} {
		header := `{"alg":"HS256","typ":"JWT","kid":` + mustJSON(t, kid) + `}`
		if _, err := verifyAssertion(t, rawToken(secretA, header, payload), keysA()); err != nil {
			t.Errorf("kid %q with the channel secret: %v", kid, err)
		}
		_, err := verifyAssertion(t, rawToken(secretB, header, payload), keysA())
		wantReason(t, err, ReasonSignature)
	}
	_, err := verifyAssertion(t, rawToken(secretA, `{"alg":"HS256","kid":"`+strings.Repeat("k", 4096)+`"}`, payload), keysA())
	wantReason(t, err, ReasonSchema)
	_, err = verifyAssertion(t, rawToken(secretA, `{"alg":"HS256","kid":7}`, payload), keysA())
	wantReason(t, err, ReasonSchema)
}

// JW-16: a token that embeds or points at its own key fails, and the
// pointed-at URL is never fetched.
func TestJW16_EmbeddedKeysIgnoredNeverFetched(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	attackerKey := []byte("attacker-chosen-key-0123456789abcdef")
	payload := mustJSON(t, assertionClaimsMap())
	for _, param := range []string{
		`"jku":"` + srv.URL + `/jwks.json"`,
		`"x5u":"` + srv.URL + `/cert.pem"`,
		`"jwk":{"kty":"oct","k":"` + b64(string(attackerKey)) + `"}`,
		`"x5c":["MIIBIjANBgkq"]`,
	} {
		header := `{"alg":"HS256",` + param + `}`
		_, err := verifyAssertion(t, rawToken(attackerKey, header, payload), keysA())
		wantReason(t, err, ReasonSignature)
		if _, err := verifyAssertion(t, rawToken(secretA, header, payload), keysA()); err != nil {
			t.Errorf("header %s with the channel secret: %v", header, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("key URLs fetched %d times", n)
	}
	_, err := verifyAssertion(t, rawToken(secretA, `{"alg":"HS256","crit":["exp"]}`, payload), keysA())
	wantReason(t, err, ReasonSchema)
}

func TestJW17_OversizedAssertionRejectedBeforeParsing(t *testing.T) {
	for name, tok := range map[string]string{
		"8 MB of dots":   strings.Repeat(".", 8<<20),
		"64 KB header":   b64(`{"alg":"HS256","x":"`+strings.Repeat("x", 64<<10)+`"}`) + ".e30.sig",
		"4 KB + 1 token": strings.Repeat("A", 4097),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := verifyAssertion(t, tok, keysA())
			wantReason(t, err, ReasonSchema)
		})
	}
}

// JW-18: an expired token with a bad signature is a signature failure; no
// path treats expiry as a soft error.
func TestJW18_ExpiredAndForgedSaysSignature(t *testing.T) {
	expired := with(assertionClaimsMap(), map[string]any{"iat": testNow.Unix() - 4000, "exp": testNow.Unix() - 3800})
	_, err := verifyAssertion(t, SignAssertion(secretB, expired), keysA())
	wantReason(t, err, ReasonSignature)
	_, err = verifyAssertion(t, SignAssertion(secretA, expired), keysA())
	wantReason(t, err, ReasonExpired)
}

func TestJW19_ExchangeTokenIsNotAnAssertion(t *testing.T) {
	v := testVerifier()
	ring := testKeyring(t)
	tok, _, err := v.IssueExchangeToken("chan-a", "user-42", ring.ExchangeKey("chan-a"), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = v.VerifyAssertion(tok, keysA()); ReasonOf(err) == "" {
		t.Fatal("exchange token accepted as an assertion")
	}
	// Even signed with the channel secret, its typ and claims do not fit.
	sameKey, _, err := v.IssueExchangeToken("chan-a", "user-42", secretA, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.VerifyAssertion(sameKey, keysA())
	wantReason(t, err, ReasonSchema)
}

func TestJW20_FutureNbfRejected(t *testing.T) {
	for name, nbf := range map[string]any{"now+5min": testNow.Unix() + 300, "string": fmt.Sprint(testNow.Unix()), "fraction": 1.5} {
		t.Run(name, func(t *testing.T) {
			_, err := verifyAssertion(t, SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"nbf": nbf})), keysA())
			wantReason(t, err, ReasonSchema)
		})
	}
	if _, err := verifyAssertion(t, SignAssertion(secretA, with(assertionClaimsMap(), map[string]any{"nbf": testNow.Unix() - 5})), keysA()); err != nil {
		t.Errorf("past nbf: %v", err)
	}
}

func TestJW21_BadSubRejected(t *testing.T) {
	times := fmt.Sprintf(`"channel_slug":"chan-a","jti":"j1","iat":%d,"exp":%d`, testNow.Unix(), testNow.Unix()+60)
	for name, sub := range map[string]string{
		"invalid UTF-8":    "\"a\xffb\"",
		"NUL":              `"a\u0000b"`,
		"1 KB":             `"` + strings.Repeat("s", 1024) + `"`,
		"257 bytes":        `"` + strings.Repeat("s", 257) + `"`,
		"empty":            `""`,
		"blank":            `"   "`,
		"lone surrogate":   `"a\ud800b"`,
		"number":           `42`,
		"duplicate sub":    `"alice","sub":"admin"`,
		"case-variant sub": `"alice","SUB":"admin"`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := verifyAssertion(t, rawToken(secretA, jwtHeader, `{"sub":`+sub+`,`+times+`}`), keysA())
			wantReason(t, err, ReasonSchema)
		})
	}
	_, err := verifyAssertion(t, rawToken(secretA, jwtHeader, `{`+times+`}`), keysA())
	wantReason(t, err, ReasonSchema)
}

func TestJW_AssertionTimesMustBeIntegers(t *testing.T) {
	base := `{"sub":"a","channel_slug":"chan-a","jti":"j1",`
	now := testNow.Unix()
	for name, times := range map[string]string{
		"exp fraction": fmt.Sprintf(`"iat":%d,"exp":%d.5}`, now, now+60),
		"iat string":   fmt.Sprintf(`"iat":"%d","exp":%d}`, now, now+60),
		"exp exponent": fmt.Sprintf(`"iat":%d,"exp":1.8000001e9}`, now),
		"iat negative": fmt.Sprintf(`"iat":-1,"exp":%d}`, now+60),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := verifyAssertion(t, rawToken(secretA, jwtHeader, base+times), keysA())
			wantReason(t, err, ReasonSchema)
		})
	}
}

func TestTX08_AssertionRotationGraceWindow(t *testing.T) {
	tok := SignAssertion(secretAPrev, assertionClaimsMap())
	inside := ChannelKeys{ChannelKey: "chan-a", Secrets: [][]byte{secretA, secretAPrev}}
	if _, err := verifyAssertion(t, tok, inside); err != nil {
		t.Fatalf("inside the grace window: %v", err)
	}
	_, err := verifyAssertion(t, tok, keysA())
	wantReason(t, err, ReasonSignature)
	_, err = verifyAssertion(t, tok, ChannelKeys{ChannelKey: "chan-a"})
	wantReason(t, err, ReasonSignature)
}
