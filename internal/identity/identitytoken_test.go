package identity

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestIT01_ValidTokenVerified(t *testing.T) {
	claims := with(identityClaimsMap(), map[string]any{"audience_tag": "beta testers", "company": "Example GmbH"})
	got, err := testVerifier().VerifyIdentityToken(SignIdentityToken(secretA, claims), keysA())
	if err != nil {
		t.Fatalf("VerifyIdentityToken: %v", err)
	}
	want := Claims{
		UserID: "alice", Email: "alice@example.com", Name: "Alice Example", PlanTier: "pro",
		AudienceTag: "beta testers", Company: "Example GmbH", Locale: "fr-CA",
		IssuedAt: testNow.Add(-60 * time.Second), ExpiresAt: testNow.Add(240 * time.Second),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
}

func TestIT01_MinimalTokenAndEmptyOptionalClaims(t *testing.T) {
	for name, claims := range map[string]map[string]any{
		"required only":   {"user_id": "42", "iat": testNow.Unix(), "exp": testNow.Unix() + 60},
		"empty optionals": with(identityClaimsMap(), map[string]any{"email": "", "plan_tier": "", "locale": ""}),
	} {
		t.Run(name, func(t *testing.T) {
			tok := SignIdentityToken(secretA, claims)
			if name == "empty optionals" { // null means absent too
				tok = rawToken(secretA, jwtHeader, fmt.Sprintf(`{"user_id":"a","iat":%d,"exp":%d,"email":null}`, testNow.Unix(), testNow.Unix()+60))
			}
			got, err := testVerifier().VerifyIdentityToken(tok, keysA())
			if err != nil {
				t.Fatalf("VerifyIdentityToken: %v", err)
			}
			if got.Email != "" || got.PlanTier != "" || got.Locale != "" {
				t.Errorf("absent KYC claims came back as %+v", got)
			}
		})
	}
}

// flipSigBit flips one bit of the decoded MAC at byte i and re-encodes it.
func flipSigBit(t *testing.T, token string, i int) string {
	h, p, s := splitToken(t, token)
	sig, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	sig[i] ^= 1
	return h + "." + p + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// IT-02: every kind of wrong MAC is a "signature" rejection and goes through
// the same hmac.Equal comparison (verifyHS256 has no other exit for a
// decodable MAC), whether it differs in its first or its last byte.
func TestIT02_BadMACRejectedAsSignature(t *testing.T) {
	good := SignIdentityToken(secretA, identityClaimsMap())
	h, p, s := splitToken(t, good)
	for name, tok := range map[string]string{
		"first byte flipped":    flipSigBit(t, good, 0),
		"last byte flipped":     flipSigBit(t, good, 31),
		"truncated":             h + "." + p + "." + s[:40],
		"truncated to 16 bytes": h + "." + p + "." + base64.RawURLEncoding.EncodeToString(make([]byte, 16)),
		"empty":                 h + "." + p + ".",
		"HS512-sized":           h + "." + p + "." + base64.RawURLEncoding.EncodeToString(make([]byte, 64)),
		"other channel secret":  SignIdentityToken(secretB, identityClaimsMap()),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := testVerifier().VerifyIdentityToken(tok, keysA())
			wantReason(t, err, ReasonSignature)
		})
	}
}

func TestIT02_EmptyOrShortSecretNeverVerifies(t *testing.T) {
	for name, secret := range map[string][]byte{"empty": {}, "short": []byte("tooshort")} {
		t.Run(name, func(t *testing.T) {
			tok := SignIdentityToken(secret, identityClaimsMap())
			keys := ChannelKeys{ChannelKey: "chan-a", Secrets: [][]byte{secret}}
			_, err := testVerifier().VerifyIdentityToken(tok, keys)
			wantReason(t, err, ReasonSignature)
		})
	}
	_, err := testVerifier().VerifyIdentityToken(SignIdentityToken(secretA, identityClaimsMap()), ChannelKeys{})
	wantReason(t, err, ReasonSignature)
}

func TestIT02_RejectionDetailHasNoTokenMaterial(t *testing.T) {
	const canary = "canary-user-7f3a9"
	claims := with(identityClaimsMap(), map[string]any{"user_id": canary, "email": canary + "@x", "exp": testNow.Unix() - 3600, "iat": testNow.Unix() - 3700})
	good := SignIdentityToken(secretA, claims)
	h, p, s := splitToken(t, good)
	for _, tok := range []string{good, SignIdentityToken(secretB, claims), h + "=." + p + "." + s, h + "." + p + "x." + s} {
		_, err := testVerifier().VerifyIdentityToken(tok, keysA())
		if err == nil {
			t.Fatal("bad token accepted")
		}
		for _, material := range []string{canary, h, p, s, string(secretA)} {
			if strings.Contains(err.Error(), material) {
				t.Errorf("error %q contains token material", err)
			}
		}
	}
}

func TestIT03_ExpiryLeeway(t *testing.T) {
	for _, tc := range []struct {
		name   string
		leeway time.Duration
		exp    time.Duration // relative to now
		reason string        // "" = verified
	}{
		{"default leeway, exp = now − leeway − 1s", 0, -31 * time.Second, ReasonExpired},
		{"default leeway, exp = now − leeway + 1s", 0, -29 * time.Second, ""},
		{"default leeway, exp = now − leeway", 0, -30 * time.Second, ReasonExpired},
		{"5s leeway, exp = now − 6s", 5 * time.Second, -6 * time.Second, ReasonExpired},
		{"5s leeway, exp = now − 4s", 5 * time.Second, -4 * time.Second, ""},
		{"1h leeway is capped at 30s", time.Hour, -31 * time.Second, ReasonExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exp := testNow.Add(tc.exp).Unix()
			tok := SignIdentityToken(secretA, with(identityClaimsMap(), map[string]any{"exp": exp, "iat": exp - 120}))
			v := &Verifier{Now: func() time.Time { return testNow }, Leeway: tc.leeway}
			_, err := v.VerifyIdentityToken(tok, keysA())
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("want verified, got %v", err)
				}
				return
			}
			wantReason(t, err, tc.reason)
		})
	}
}

func TestIT04_BadTimesRejected(t *testing.T) {
	now := testNow.Unix()
	payload := func(iat, exp string) string {
		s := `{"user_id":"alice"`
		if iat != "" {
			s += `,"iat":` + iat
		}
		if exp != "" {
			s += `,"exp":` + exp
		}
		return s + "}"
	}
	n := func(d int64) string { return fmt.Sprint(now + d) }
	for _, tc := range []struct {
		name, iat, exp string
		maxLifetime    time.Duration
	}{
		{"iat 10 min in the future", n(600), n(900), 0},
		{"lifetime over default 24h", n(-60), n(24*3600 - 59), 0},
		{"lifetime over channel cap 300s", n(-60), n(241), 300 * time.Second},
		{"exp missing", n(0), "", 0},
		{"iat missing", "", n(60), 0},
		{"exp as string", n(0), `"` + n(60) + `"`, 0},
		{"exp 1.5", n(0), "1.5", 0},
		{"exp 1e3", n(0), "1e3", 0},
		{"exp with fraction", n(0), n(60) + ".0", 0},
		{"exp with exponent", n(0), "1.8e9", 0},
		{"exp -1", n(0), "-1", 0},
		{"exp 2^63", n(0), "9223372036854775808", 0},
		{"exp 2^53+1", n(0), "9007199254740993", 0},
		{"exp null", n(0), "null", 0},
		{"exp leading zero", n(0), "0" + n(60), 0},
		{"iat as array", "[1]", n(60), 0},
		{"exp before iat", n(0), n(-10), 0},
		{"exp equals iat", n(0), n(0), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys := keysA()
			keys.MaxLifetime = tc.maxLifetime
			_, err := testVerifier().VerifyIdentityToken(rawToken(secretA, jwtHeader, payload(tc.iat, tc.exp)), keys)
			wantReason(t, err, ReasonSchema)
		})
	}
	t.Run("lifetime exactly at the cap is accepted", func(t *testing.T) {
		keys := keysA()
		keys.MaxLifetime = 300 * time.Second
		if _, err := testVerifier().VerifyIdentityToken(rawToken(secretA, jwtHeader, payload(n(-60), n(240))), keys); err != nil {
			t.Fatal(err)
		}
	})
}

// IT-05 is the regression test for the verified encoding/json behaviour:
// case-insensitive field matching with the last key winning.
func TestIT05_CaseVariantKeysRejected(t *testing.T) {
	times := fmt.Sprintf(`"iat":%d,"exp":%d`, testNow.Unix(), testNow.Unix()+60)
	caseVariant := `{"user_id":"alice","USER_ID":"admin",` + times + `}`
	var pitfall struct {
		UserID string `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(caseVariant), &pitfall); err != nil || pitfall.UserID != "admin" {
		t.Fatalf("encoding/json pitfall no longer reproduces (got %q, %v): revisit this test", pitfall.UserID, err)
	}
	for name, tc := range map[string]struct{ header, payload string }{
		"case-variant user_id":   {jwtHeader, caseVariant},
		"mixed-case user_id":     {jwtHeader, `{"user_id":"alice","User_Id":"admin",` + times + `}`},
		"duplicate user_id":      {jwtHeader, `{"user_id":"alice","user_id":"admin",` + times + `}`},
		"case-variant exp":       {jwtHeader, `{"user_id":"alice",` + times + `,"EXP":99999999999}`},
		"upper-case key only":    {jwtHeader, `{"USER_ID":"admin",` + times + `}`},
		"duplicate alg header":   {`{"alg":"HS256","alg":"none"}`, `{"user_id":"alice",` + times + `}`},
		"case-variant alg":       {`{"alg":"HS256","ALG":"none"}`, `{"user_id":"alice",` + times + `}`},
		"kelvin-sign case fold":  {jwtHeader, `{"user_id":"alice","name":"a","na\u212ae":"b",` + times + `}`},
		"escaped duplicate name": {jwtHeader, `{"user_id":"alice","user_\u0069d":"admin",` + times + `}`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := testVerifier().VerifyIdentityToken(rawToken(secretA, tc.header, tc.payload), keysA())
			wantReason(t, err, ReasonSchema)
		})
	}
}

func TestIT06_BadUserIDRejected(t *testing.T) {
	times := fmt.Sprintf(`"iat":%d,"exp":%d`, testNow.Unix(), testNow.Unix()+60)
	for name, userID := range map[string]string{
		"empty":            `""`,
		"whitespace only":  `"  \u00a0 "`,
		"257 bytes":        `"` + strings.Repeat("x", 257) + `"`,
		"NUL escaped":      `"a\u0000b"`,
		"tab escaped":      `"a\tb"`,
		"newline escaped":  `"a\nb"`,
		"raw control char": "\"a\x01b\"",
		"DEL":              "\"a\x7fb\"",
		"C1 control":       `"a\u0085b"`,
		"lone high surr.":  `"a\ud800b"`,
		"lone low surr.":   `"a\udc00b"`,
		"reversed pair":    `"\udc00\ud800"`,
		"invalid UTF-8":    "\"a\xffb\"",
		"UTF-8 surrogate":  "\"a\xed\xa0\x80b\"",
		"number":           `42`,
		"null":             `null`,
	} {
		t.Run(name, func(t *testing.T) {
			tok := rawToken(secretA, jwtHeader, `{"user_id":`+userID+`,`+times+`}`)
			_, err := testVerifier().VerifyIdentityToken(tok, keysA())
			wantReason(t, err, ReasonSchema)
		})
	}
	for name, userID := range map[string]string{
		"256 bytes":      `"` + strings.Repeat("x", 256) + `"`,
		"surrogate pair": `"\ud83d\ude00"`,
		"escaped slash":  `"a\/b"`,
	} {
		t.Run("accepted "+name, func(t *testing.T) {
			tok := rawToken(secretA, jwtHeader, `{"user_id":`+userID+`,`+times+`}`)
			if _, err := testVerifier().VerifyIdentityToken(tok, keysA()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestIT07_BadKYCClaimsRejected(t *testing.T) {
	for name, change := range map[string]map[string]any{
		"email not an email":     {"email": "not-an-email"},
		"email without domain":   {"email": "alice@"},
		"email two ats":          {"email": "a@b@example.com"},
		"email dotless domain":   {"email": "alice@localhost"},
		"email with space":       {"email": "al ice@example.com"},
		"email 255 bytes":        {"email": strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com"},
		"email as number":        {"email": 42},
		"name 201 characters":    {"name": strings.Repeat("n", 201)},
		"name 10 KB":             {"name": strings.Repeat("n", 10_000)},
		"name with newline":      {"name": "a\nb"},
		"plan_tier upper case":   {"plan_tier": "PRO"},
		"plan_tier 33 chars":     {"plan_tier": strings.Repeat("p", 33)},
		"plan_tier with space":   {"plan_tier": "pro plus"},
		"locale path traversal":  {"locale": "../../etc/passwd"},
		"locale 5 KB":            {"locale": strings.Repeat("e", 5000)},
		"locale too many parts":  {"locale": "en-US-x1-y2-z3"},
		"audience_tag 65 chars":  {"audience_tag": strings.Repeat("a", 65)},
		"company 201 characters": {"company": strings.Repeat("c", 201)},
		"unknown claim":          {"role": "admin"},
	} {
		t.Run(name, func(t *testing.T) {
			tok := SignIdentityToken(secretA, with(identityClaimsMap(), change))
			_, err := testVerifier().VerifyIdentityToken(tok, keysA())
			wantReason(t, err, ReasonSchema)
		})
	}
	t.Run("plan_tier root outside the channel's tiers", func(t *testing.T) {
		keys := keysA()
		keys.PlanTiers = []string{"free", "pro", "enterprise"}
		tok := SignIdentityToken(secretA, with(identityClaimsMap(), map[string]any{"plan_tier": "root"}))
		_, err := testVerifier().VerifyIdentityToken(tok, keys)
		wantReason(t, err, ReasonSchema)
		if _, err := testVerifier().VerifyIdentityToken(SignIdentityToken(secretA, identityClaimsMap()), keys); err != nil {
			t.Fatalf("listed tier pro: %v", err)
		}
	})
	for name, change := range map[string]map[string]any{
		"IDN email":         {"email": "jörg@bücher.example"},
		"200-char name":     {"name": strings.Repeat("ñ", 200)},
		"locale zh_Hant_TW": {"locale": "zh_Hant_TW"},
	} {
		t.Run("accepted "+name, func(t *testing.T) {
			if _, err := testVerifier().VerifyIdentityToken(SignIdentityToken(secretA, with(identityClaimsMap(), change)), keysA()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestIT08_OversizedTokensRejectedBeforeDecoding(t *testing.T) {
	valid := SignIdentityToken(secretA, identityClaimsMap())
	h, p, s := splitToken(t, valid)
	for name, tok := range map[string]string{
		"1 MB token":        h + "." + strings.Repeat("A", 1<<20) + "." + s,
		"100000 dots":       strings.Repeat(".", 100_000),
		"8 MB of dots":      strings.Repeat(".", 8<<20),
		"4097 bytes":        h + "." + p + strings.Repeat("A", 4097-len(valid)) + "." + s,
		"header over 256 B": b64(`{"alg":"HS256","kid":"`+strings.Repeat("k", 250)+`"}`) + "." + p + "." + s,
		"four parts":        valid + ".x",
		"two parts":         h + "." + p,
		"empty":             "",
		"empty header":      "." + p + "." + s,
		"empty payload":     h + ".." + s,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := testVerifier().VerifyIdentityToken(tok, keysA())
			wantReason(t, err, ReasonSchema)
		})
	}
	// Bounded work: a 1 MB token costs no more allocations than the rejection.
	huge := h + "." + strings.Repeat("A", 1<<20) + "." + s
	allocs := testing.AllocsPerRun(20, func() { _, _ = testVerifier().VerifyIdentityToken(huge, keysA()) })
	if allocs > 3 {
		t.Errorf("1 MB token caused %.0f allocations: it was decoded before the length cap", allocs)
	}
}

// sigWithURLChars signs tokens for successive user ids until the signature
// contains '-' or '_', so the '+/' alphabet can be substituted.
func sigWithURLChars(t *testing.T) string {
	for i := range 1000 {
		tok := SignIdentityToken(secretA, with(identityClaimsMap(), map[string]any{"user_id": fmt.Sprint("u", i)}))
		if _, _, s := splitToken(t, tok); strings.ContainsAny(s, "-_") {
			return tok
		}
	}
	t.Fatal("no signature with - or _ in 1000 tries")
	return ""
}

func TestIT09_NonCanonicalBase64Rejected(t *testing.T) {
	// A payload whose encoding has unused bits in its last character.
	claims := identityClaimsMap()
	for pad := 0; ; pad++ {
		claims["name"] = "Alice" + strings.Repeat("x", pad)
		if len(b64(mustJSON(t, claims)))%4 != 0 {
			break
		}
	}
	good := SignIdentityToken(secretA, claims)
	h, p, s := splitToken(t, good)
	if _, err := testVerifier().VerifyIdentityToken(good, keysA()); err != nil {
		t.Fatalf("baseline: %v", err)
	}
	stdPayload := b64Std(mustJSON(t, with(claims, map[string]any{"name": "ÿÿþ~~~???"})))
	if !strings.ContainsAny(stdPayload, "+/") {
		t.Fatal("test payload encodes without + or /")
	}
	plusSlash := sigWithURLChars(t)
	ph, pp, ps := splitToken(t, plusSlash)
	for _, tc := range []struct{ name, token, reason string }{
		{"padded signature", h + "." + p + "." + s + "=", ReasonSignature},
		{"padded header", h + "=." + p + "." + s, ReasonSchema},
		{"padded payload", h + "." + p + "==." + s, ReasonSignature}, // the MAC covers the encoding
		{"+/ alphabet in signature", ph + "." + pp + "." + strings.NewReplacer("-", "+", "_", "/").Replace(ps), ReasonSignature},
		{"altered unused bits in signature", h + "." + p + "." + alterUnusedBits(s), ReasonSignature},
		{"altered unused bits in payload", h + "." + alterUnusedBits(p) + "." + s, ReasonSignature},
		{"space inside signature", h + "." + p + "." + s[:10] + " " + s[10:], ReasonSignature},
		// Even correctly signed, a non-canonical payload encoding is refused.
		{"signed padded payload", signEncoded(h, p+"=="), ReasonSchema},
		{"signed payload with unused bits", signEncoded(h, alterUnusedBits(p)), ReasonSchema},
		{"signed payload with newline", signEncoded(h, p[:10]+"\n"+p[10:]), ReasonSchema},
		{"signed payload in +/ alphabet", signEncoded(h, stdPayload), ReasonSchema},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := testVerifier().VerifyIdentityToken(tc.token, keysA())
			wantReason(t, err, tc.reason)
		})
	}
}

// signEncoded signs already-encoded parts as given, canonical or not.
func signEncoded(header, payload string) string {
	input := header + "." + payload
	return input + "." + base64.RawURLEncoding.EncodeToString(macHS256(secretA, input))
}

func b64Std(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// IT-10: channels share user ids but not secrets; the key comes from the
// endpoint's channel, so channel A's token fails on channel B.
func TestIT10_OtherChannelTokenRejected(t *testing.T) {
	tok := SignIdentityToken(secretA, identityClaimsMap())
	keysB := ChannelKeys{ChannelKey: "chan-b", Secrets: [][]byte{secretB}}
	_, err := testVerifier().VerifyIdentityToken(tok, keysB)
	wantReason(t, err, ReasonSignature)
}

func TestIT11_RotationGraceWindow(t *testing.T) {
	tok := SignIdentityToken(secretAPrev, identityClaimsMap())
	inside := ChannelKeys{ChannelKey: "chan-a", Secrets: [][]byte{secretA, secretAPrev}}
	if _, err := testVerifier().VerifyIdentityToken(tok, inside); err != nil {
		t.Fatalf("inside the grace window: %v", err)
	}
	_, err := testVerifier().VerifyIdentityToken(tok, keysA())
	wantReason(t, err, ReasonSignature)
}

// IT-12: credentials never pass for each other; no fallback parsing.
func TestIT12_CredentialKindsNotInterchangeable(t *testing.T) {
	v := testVerifier()
	assertion := SignAssertion(secretA, assertionClaimsMap())
	_, err := v.VerifyIdentityToken(assertion, keysA())
	wantReason(t, err, ReasonSchema)

	identity := SignIdentityToken(secretA, identityClaimsMap())
	_, err = v.VerifyAssertion(identity, keysA())
	wantReason(t, err, ReasonSchema)

	exchange, _, err := v.IssueExchangeToken("chan-a", "alice", secretA, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyIdentityToken(exchange, keysA()); err == nil {
		t.Error("exchange token accepted as an identity token")
	}
}

func TestJW02_IdentityTokenHeaderRules(t *testing.T) {
	payload := mustJSON(t, identityClaimsMap())
	for _, tc := range []struct{ name, header, reason string }{
		{"alg none", `{"alg":"none"}`, ReasonSignature},
		{"alg hs256", `{"alg":"hs256"}`, ReasonSignature},
		{"alg HS512", `{"alg":"HS512"}`, ReasonSignature},
		{"alg RS256", `{"alg":"RS256"}`, ReasonSignature},
		{"alg missing", `{"typ":"JWT"}`, ReasonSignature},
		{"alg not a string", `{"alg":["HS256"]}`, ReasonSignature},
		{"typ exchange", `{"alg":"HS256","typ":"docent-exchange+jwt"}`, ReasonSchema},
		{"jku present", `{"alg":"HS256","jku":"https://evil.example/jwks"}`, ReasonSchema},
		{"crit present", `{"alg":"HS256","crit":["b64"],"b64":false}`, ReasonSchema},
		{"header is an array", `["HS256"]`, ReasonSchema},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := testVerifier().VerifyIdentityToken(rawToken(secretA, tc.header, payload), keysA())
			wantReason(t, err, tc.reason)
		})
	}
	for _, header := range []string{`{"alg":"HS256"}`, `{"alg":"HS256","typ":"jwt"}`, `{"alg":"HS256","kid":"2024-01"}`} {
		if _, err := testVerifier().VerifyIdentityToken(rawToken(secretA, header, payload), keysA()); err != nil {
			t.Errorf("header %s: %v", header, err)
		}
	}
}

// JW-18 for identity tokens: signature is checked before anything in the
// payload, so a forged expired (or malformed) token says "signature".
func TestJW18_ForgedExpiredIdentityTokenSaysSignature(t *testing.T) {
	expired := with(identityClaimsMap(), map[string]any{"iat": testNow.Unix() - 7200, "exp": testNow.Unix() - 3600})
	_, err := testVerifier().VerifyIdentityToken(SignIdentityToken(secretB, expired), keysA())
	wantReason(t, err, ReasonSignature)
	_, err = testVerifier().VerifyIdentityToken(rawToken(secretB, jwtHeader, `{"user_id":"a","user_id":"b"}`), keysA())
	wantReason(t, err, ReasonSignature)
}
