package httpapi_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/chat"
	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
)

// channel creates and publishes a channel answering from the demo docs and
// returns its secrets.
func (s *server) channel(key string, cfg store.ChannelConfig) (signing, app string) {
	s.t.Helper()
	ctx := context.Background()
	agent, err := s.app.Store().AgentByName(ctx, "docent-demo")
	if err != nil {
		s.t.Fatal(err)
	}
	cfg.AgentID = agent.ID
	if cfg.Title == "" {
		cfg.Title = key
	}
	_, secrets, err := s.app.Channels().Create(ctx, key, cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.app.Channels().Publish(ctx, key); err != nil {
		s.t.Fatal(err)
	}
	canary(secrets.Signing)
	canary(secrets.App)
	return secrets.Signing, secrets.App
}

func identityTokenFor(secret, user string, extra map[string]any) string {
	now := time.Now()
	claims := map[string]any{"user_id": user, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
	for k, v := range extra {
		claims[k] = v
	}
	return canary(identity.SignIdentityToken([]byte(secret), claims))
}

var jtiCounter atomic.Int64

func assertionFor(secret, channel, sub string) string {
	now := time.Now()
	return canary(identity.SignAssertion([]byte(secret), map[string]any{"sub": sub, "channel_slug": channel, "iat": now.Unix(),
		"exp": now.Add(4 * time.Minute).Unix(), "jti": "jti-" + time.Now().Format("150405.000000") + "-" + string(rune('a'+jtiCounter.Add(1)%26))}))
}

func identityOf(m map[string]any) (status, user, reason string) {
	id, _ := m["identity"].(map[string]any)
	status, _ = id["status"].(string)
	user, _ = id["user_id"].(string)
	reason, _ = id["reason"].(string)
	return
}

// TestIT01_ValidIdentityTokenVerified and its failures (IT-02, IT-10, IT-12):
// a bad token falls back to an anonymous session with a coarse reason.
func TestIT01_IdentityTokens(t *testing.T) {
	s := newServer(t)
	secret, _ := s.channel("signed", store.ChannelConfig{IdentityMode: store.IdentitySigned, AllowedOrigins: []string{"https://shop.example"}})
	other, _ := s.channel("other", store.ChannelConfig{IdentityMode: store.IdentitySigned, AllowedOrigins: []string{"https://shop.example"}})
	good := identityTokenFor(secret, "42", map[string]any{"email": "ada@example.com", "plan_tier": "pro", "locale": "de"})
	flipped := good[:len(good)-2] + map[bool]string{true: "A", false: "B"}[good[len(good)-2] != 'A'] + good[len(good)-1:]
	tests := []struct {
		name, token, status, reason string
	}{
		{"IT-01 valid", good, "verified", ""},
		{"IT-02 flipped MAC", flipped, "rejected", "signature"},
		{"IT-10 other channel's secret", identityTokenFor(other, "42", nil), "rejected", "signature"},
		{"IT-12 assertion in the token slot", assertionFor(secret, "signed", "42"), "rejected", "schema"},
		{"IT-08 oversized", strings.Repeat(".", 20000), "rejected", ""},
		{"IT-05 case-variant keys", identity.SignIdentityToken([]byte(secret), map[string]any{"user_id": "alice", "USER_ID": "admin",
			"iat": time.Now().Unix(), "exp": time.Now().Add(time.Minute).Unix()}), "rejected", "schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.do("POST", "/widget/session/init", map[string]any{"key": "signed", "identity_token": tt.token})
			if r.Status != 200 {
				t.Fatalf("init = %d %s", r.Status, r.Body)
			}
			m := r.json(t)
			status, user, reason := identityOf(m)
			if status != tt.status || (tt.reason != "" && reason != tt.reason) {
				t.Fatalf("identity %s/%s, want %s/%s", status, reason, tt.status, tt.reason)
			}
			wantMode := map[bool]string{true: "identified", false: "anonymous"}[tt.status == "verified"]
			if m["mode"] != wantMode || (tt.status == "verified" && user != "42") {
				t.Fatalf("mode %v user %q", m["mode"], user)
			}
		})
	}
	if r := s.do("POST", "/widget/session/init", map[string]any{"key": "signed", "identity_token": strings.Repeat("a", 1<<20)}); r.Status != 413 {
		t.Fatalf("IT-08 1 MB token: %d", r.Status)
	}
	// IT-01: the KYC claims are stored with the verified contact.
	token, _ := s.initSessionKey("signed", map[string]any{"identity_token": good})
	hash, _ := chat.HashToken(token)
	sess, err := s.app.Store().SessionByTokenHash(context.Background(), hash)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.app.Store().Contact(context.Background(), sess.ContactID)
	if c.Kind != store.ContactVerified || c.ExternalID != "42" || c.Attributes.Email != "ada@example.com" || c.Attributes.PlanTier != "pro" || sess.Language != "de" {
		t.Fatalf("contact %+v session language %q", c, sess.Language)
	}
	if strings.Contains(s.log.String(), secret) || strings.Contains(s.log.String(), good) {
		t.Fatal("a secret or token reached the logs")
	}
}

func TestIdentityRequired(t *testing.T) {
	s := newServer(t)
	secret, _ := s.channel("members", store.ChannelConfig{IdentityMode: store.IdentitySigned, IdentityRequired: true, AllowedOrigins: []string{"https://shop.example"}})
	for _, body := range []map[string]any{{"key": "members"}, {"key": "members", "identity_token": "garbage"}} {
		if r := s.do("POST", "/widget/session/init", body); r.Status != 401 || r.code(t) != "identity_required" {
			t.Fatalf("init %v = %d %s", body, r.Status, r.Body)
		}
	}
	if _, m := s.initSessionKey("members", map[string]any{"identity_token": identityTokenFor(secret, "7", nil)}); m["mode"] != "identified" {
		t.Fatalf("valid token: %v", m)
	}
}

func (s *server) initSessionKey(key string, extra map[string]any) (string, map[string]any) {
	s.t.Helper()
	body := map[string]any{"key": key}
	for k, v := range extra {
		body[k] = v
	}
	r := s.do("POST", "/widget/session/init", body)
	if r.Status != 200 {
		s.t.Fatalf("init %s: %d %s", key, r.Status, r.Body)
	}
	m := r.json(s.t)
	return canary(m["session_id"].(string)), m
}

// TestJW11_AssertionIsSingleUse: exactly one of 50 parallel uses succeeds,
// a second use is "replayed", and so it stays after a restart.
func TestJW11_AssertionIsSingleUse(t *testing.T) {
	s := newServer(t)
	secret, _ := s.channel("assert", store.ChannelConfig{IdentityMode: store.IdentitySigned, AllowedOrigins: []string{"https://shop.example"}})
	a := assertionFor(secret, "assert", "member@example.com")
	var verified, replayed atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			r := s.do("POST", "/widget/session/init", map[string]any{"key": "assert", "assertion": a})
			switch status, _, reason := identityOf(r.json(t)); {
			case status == "verified":
				verified.Add(1)
			case reason == "replayed":
				replayed.Add(1)
			}
		})
	}
	wg.Wait()
	if verified.Load() != 1 || replayed.Load() != 49 {
		t.Fatalf("verified %d replayed %d", verified.Load(), replayed.Load())
	}
	// JW-10: an assertion naming another channel is refused.
	_, m := s.initSessionKey("assert", map[string]any{"assertion": assertionFor(secret, "other-channel", "x")})
	if status, _, _ := identityOf(m); status != "rejected" {
		t.Fatalf("cross-channel assertion: %v", m)
	}
}

// TestDU03_DirectIdsKeptApartFromVerified: a direct (claimed) id never sees
// the history of a verified user with the same id.
func TestDU03_DirectIdsKeptApartFromVerified(t *testing.T) {
	s := newServer(t)
	secret, _ := s.channel("signed-docs", store.ChannelConfig{IdentityMode: store.IdentitySigned, AllowedOrigins: []string{"https://shop.example"}})
	s.channel("direct-docs", store.ChannelConfig{IdentityMode: store.IdentityDirect, AllowedOrigins: []string{"https://shop.example"}})
	tok, _ := s.initSessionKey("signed-docs", map[string]any{"identity_token": identityTokenFor(secret, "alice", nil)})
	s.do("POST", "/widget/chat", map[string]any{"session_id": tok, "message": "my secret question"})
	_, m := s.initSessionKey("direct-docs", map[string]any{"external_user_id": "alice", "identity_token": nil})
	status, user, _ := identityOf(m)
	if status != "direct" || user != "alice" || len(m["messages"].([]any)) != 1 {
		t.Fatalf("direct alice: %v", m)
	}
	// DU-04: a direct id on a signed channel is not accepted.
	_, m = s.initSessionKey("signed-docs", map[string]any{"external_user_id": "alice"})
	if status, _, _ := identityOf(m); status != "rejected" || len(m["messages"].([]any)) != 1 {
		t.Fatalf("direct id on a signed channel: %v", m)
	}
}

// TestAS05_IdentityLifecycle covers AS-05 (upgrade issues a new credential),
// AS-06 (another user sees nothing) and AS-07 (logout revokes).
func TestAS05_IdentityLifecycle(t *testing.T) {
	s := newServer(t)
	secret, _ := s.channel("life", store.ChannelConfig{IdentityMode: store.IdentitySigned, AllowedOrigins: []string{"https://shop.example"}})
	guest, _ := s.initSessionKey("life", nil)
	alice, m := s.initSessionKey("life", map[string]any{"session_id": guest, "identity_token": identityTokenFor(secret, "alice", nil)})
	if alice == guest || m["mode"] != "identified" {
		t.Fatalf("upgrade kept the guest credential: %v", m)
	}
	if r := s.do("POST", "/widget/chat", map[string]any{"session_id": guest, "message": "hi"}); r.Status != 401 {
		t.Fatalf("old guest credential still works: %d", r.Status)
	}
	s.do("POST", "/widget/chat", map[string]any{"session_id": alice, "message": "alice asks about embedding"})

	bob, m := s.initSessionKey("life", map[string]any{"session_id": alice, "identity_token": identityTokenFor(secret, "bob", nil)})
	for _, msg := range m["messages"].([]any) {
		if strings.Contains(msg.(map[string]any)["text"].(string), "alice asks") {
			t.Fatal("bob sees alice's messages")
		}
	}
	if r := s.do("POST", "/widget/session/logout", map[string]any{"session_id": bob}); r.Status != 200 {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	if r := s.do("POST", "/widget/chat", map[string]any{"session_id": bob, "message": "hi"}); r.Status != 401 || r.code(t) != "session_invalid" {
		t.Fatalf("after logout: %d %s", r.Status, r.Body)
	}
	// Alice signs in again: her open conversation comes back with a new credential.
	again, m := s.initSessionKey("life", map[string]any{"identity_token": identityTokenFor(secret, "alice", nil)})
	if again == alice || m["resumed"] != true || !strings.Contains(string(mustJSON(m["messages"])), "alice asks") {
		t.Fatalf("alice's resume: %v", m)
	}
	// Her "Start new chat" is still hers, and says so.
	r := s.do("POST", "/widget/session/new", map[string]any{"session_id": again})
	if id, _ := r.json(t)["identity"].(map[string]any); r.Status != 200 || r.json(t)["mode"] != "identified" || id["status"] != "verified" || id["user_id"] != "alice" {
		t.Fatalf("alice's new chat: %d %s", r.Status, r.Body)
	}
}

// TestSignedInTabsKeepTheirCredentials: a signed-in user's second tab
// resumes the same conversation with a credential of its own, and the first
// tab's keeps working (it no longer has to sign in again); a logout revokes
// every tab's credential for every conversation of hers, including one
// ended by Start new chat (AS-07).
func TestSignedInTabsKeepTheirCredentials(t *testing.T) {
	s := newServer(t)
	secret, _ := s.channel("tabs", store.ChannelConfig{IdentityMode: store.IdentitySigned, AllowedOrigins: []string{"https://shop.example"}})
	first, _ := s.initSessionKey("tabs", map[string]any{"identity_token": identityTokenFor(secret, "alice", nil)})
	if r := s.do("POST", "/widget/chat", map[string]any{"session_id": first, "message": "alice asks from tab one"}); r.Status != 200 {
		t.Fatalf("tab one: %d %s", r.Status, r.Body)
	}
	second, m := s.initSessionKey("tabs", map[string]any{"identity_token": identityTokenFor(secret, "alice", nil)})
	if second == first || m["resumed"] != true || !strings.Contains(string(mustJSON(m["messages"])), "tab one") {
		t.Fatalf("tab two should resume alice's conversation with its own credential: %v", m)
	}
	for name, tab := range map[string]string{"tab one": first, "tab two": second} {
		if r := s.do("GET", "/widget/session/messages?limit=5", nil, "Authorization", "Bearer "+tab); r.Status != 200 {
			t.Fatalf("%s's credential stopped working: %d %s", name, r.Status, r.Body)
		}
		if r := s.do("POST", "/widget/chat", map[string]any{"session_id": tab, "message": "alice asks from " + name}); r.Status != 200 {
			t.Fatalf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	// Tab one starts a new chat, then logs out: tab two's credential for the
	// ended conversation must stop working too (AS-07 covers every tab).
	r := s.do("POST", "/widget/session/new", map[string]any{"session_id": first})
	if r.Status != 200 {
		t.Fatalf("new chat: %d %s", r.Status, r.Body)
	}
	fresh := canary(r.json(t)["session_id"].(string))
	if r := s.do("POST", "/widget/session/logout", map[string]any{"session_id": fresh}); r.Status != 200 {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	for name, tab := range map[string]string{"tab one's ended chat": first, "tab two": second, "tab one's new chat": fresh} {
		if r := s.do("GET", "/widget/session/messages", nil, "Authorization", "Bearer "+tab); r.Status != 401 || r.code(t) != "session_invalid" {
			t.Errorf("after the logout %s still reads the transcript: %d %s", name, r.Status, r.Body)
		}
		if r := s.do("POST", "/widget/session/new", map[string]any{"session_id": tab}); r.Status != 401 || r.code(t) != "session_invalid" {
			t.Errorf("after the logout %s still starts a chat: %d %s", name, r.Status, r.Body)
		}
	}
	// Her conversation is still hers: signing in again resumes it.
	if _, m := s.initSessionKey("tabs", map[string]any{"identity_token": identityTokenFor(secret, "alice", nil)}); m["resumed"] != true {
		t.Errorf("alice's sign-in after the logout: %v", m)
	}
}

// TestTX_TokenExchange covers TX-01..TX-05 and TX-09.
func TestTX_TokenExchange(t *testing.T) {
	s := newServer(t)
	_, appSecret := s.channel("xchg", store.ChannelConfig{IdentityMode: store.IdentityExchange, AllowedOrigins: []string{"https://shop.example"}})
	s.channel("xchg2", store.ChannelConfig{IdentityMode: store.IdentityExchange, AllowedOrigins: []string{"https://shop.example"}})
	r := s.do("POST", "/api/v1/auth/token", map[string]any{"appId": "xchg", "appSecret": appSecret, "endUserId": "u-1"})
	if r.Status != 200 || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("TX-01: %d %s", r.Status, r.Body)
	}
	tok := r.json(t)["token"].(string)
	exp, err := time.Parse(time.RFC3339, r.json(t)["expiresAt"].(string))
	if err != nil || time.Until(exp) > 15*time.Minute+time.Second {
		t.Fatalf("expiresAt %v %v", exp, err)
	}
	wrong := s.do("POST", "/api/v1/auth/token", map[string]any{"appId": "xchg", "appSecret": appSecret[:len(appSecret)-1] + "x", "endUserId": "u-1"})
	unknown := s.do("POST", "/api/v1/auth/token", map[string]any{"appId": "nope", "appSecret": appSecret, "endUserId": "u-1"})
	if wrong.Status != 401 || unknown.Status != 401 || wrong.code(t) != "invalid_client" ||
		strings.Split(string(wrong.Body), `"request_id"`)[0] != strings.Split(string(unknown.Body), `"request_id"`)[0] {
		t.Fatalf("TX-02: %s vs %s", wrong.Body, unknown.Body)
	}
	if r := s.do("POST", "/api/v1/auth/token", map[string]any{"appId": "xchg", "appSecret": appSecret, "endUserId": "u"}, "Origin", "https://shop.example"); r.Status != 403 || r.code(t) != "server_to_server_only" || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("TX-03: %d %s", r.Status, r.Body)
	}
	if r := s.do("POST", "/api/v1/auth/token?appSecret="+appSecret, map[string]any{}); r.Status != 400 || r.code(t) != "token_in_url" || strings.Contains(s.log.String(), appSecret) {
		t.Fatalf("TX-04: %d %s", r.Status, r.Body)
	}
	if r := s.do("POST", "/api/v1/auth/token", map[string]any{"appId": "xchg", "appSecret": appSecret, "endUserId": ""}); r.Status != 400 || r.code(t) != "invalid_field" {
		t.Fatalf("TX-05: %d %s", r.Status, r.Body)
	}
	// The token opens an identified session on its channel, and only there (TX-09).
	r = s.do("POST", "/widget/session/init", map[string]any{"key": "xchg"}, "Authorization", "Bearer "+tok)
	if r.Status != 200 || r.json(t)["mode"] != "identified" {
		t.Fatalf("init with token: %d %s", r.Status, r.Body)
	}
	session := r.json(t)["session_id"].(string)
	if r := s.do("POST", "/widget/session/init", map[string]any{"key": "xchg2"}, "Authorization", "Bearer "+tok); r.Status != 401 || r.code(t) != "invalid_token" {
		t.Fatalf("TX-09 other channel: %d %s", r.Status, r.Body)
	}
	if r := s.do("POST", "/widget/chat", map[string]any{"session_id": session, "message": "hi"}); r.Status != 401 || r.code(t) != "invalid_token" {
		t.Fatalf("chat without the token: %d %s", r.Status, r.Body)
	}
	if r := s.do("POST", "/widget/chat", map[string]any{"session_id": session, "message": "How do I embed the widget?"}, "Authorization", "Bearer "+tok); r.Status != 200 {
		t.Fatalf("chat with the token: %d %s", r.Status, r.Body)
	}
	// TX-02: repeated failures are throttled.
	var last response
	for range 12 {
		last = s.do("POST", "/api/v1/auth/token", map[string]any{"appId": "xchg2", "appSecret": "das_wrong", "endUserId": "u"})
	}
	if last.Status != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("throttle: %d %s", last.Status, last.Body)
	}
}

// TestOR01_FrameAncestors: the frame may be embedded only where the channel allows.
func TestOR01_FrameAncestors(t *testing.T) {
	s := newServer(t)
	s.channel("two-sites", store.ChannelConfig{AllowedOrigins: []string{"https://a.example", "https://B.example/"}})
	s.channel("locked", store.ChannelConfig{Persona: store.PersonaTest})
	tests := map[string]string{"two-sites": "frame-ancestors https://a.example https://b.example", "locked": "frame-ancestors 'none'", "demo": "frame-ancestors *"}
	for key, want := range tests {
		r := s.do("GET", "/widget/"+key+"/frame", nil)
		if csp := r.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, want) {
			t.Errorf("%s: CSP %q, want suffix %q", key, csp, want)
		}
	}
}

// TestPersonaRules: a customer channel takes a positive integer user_id as a
// direct identity, refuses other ids and other persona modes.
func TestPersonaRules(t *testing.T) {
	s := newServer(t)
	s.channel("customers", store.ChannelConfig{Persona: store.PersonaCustomer, IdentityMode: store.IdentityDirect,
		AllowedOrigins: []string{"https://app.example"}})
	tests := []struct {
		name    string
		persona map[string]any
		status  int
		code    string
		user    string
	}{
		{"integer id", map[string]any{"mode": "customer", "user_id": 12345}, 200, "", "12345"},
		{"big integer id keeps its digits", map[string]any{"mode": "customer", "user_id": 9007199254740991}, 200, "", "9007199254740991"},
		{"numeric string", map[string]any{"mode": "customer", "user_id": "77"}, 200, "", "77"},
		{"zero", map[string]any{"mode": "customer", "user_id": 0}, 400, "invalid_field", ""},
		{"negative", map[string]any{"mode": "customer", "user_id": -4}, 400, "invalid_field", ""},
		{"fraction", map[string]any{"mode": "customer", "user_id": 1.5}, 400, "invalid_field", ""},
		{"text", map[string]any{"mode": "customer", "user_id": "alice"}, 400, "invalid_field", ""},
		{"wrong mode", map[string]any{"mode": "employee", "user_id": 5}, 403, "persona_not_allowed", ""},
		{"unknown field", map[string]any{"mode": "customer", "user_id": 5, "admin": true}, 400, "bad_request", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.do("POST", "/widget/session/init", map[string]any{"key": "customers", "persona": tt.persona})
			if r.Status != tt.status {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			if tt.code != "" {
				if r.code(t) != tt.code {
					t.Fatalf("code %s", r.code(t))
				}
				return
			}
			if status, user, _ := identityOf(r.json(t)); status != "direct" || user != tt.user {
				t.Fatalf("identity %s %s", status, user)
			}
		})
	}
}
