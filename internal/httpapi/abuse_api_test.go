package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/docentchat/docent/internal/config"
	"github.com/docentchat/docent/internal/store"
)

// TestDU05_NewIdentitiesPerIPAreLimited: one address cannot mint direct ids
// (or guest sessions) without bound; resuming is never limited.
func TestDU05_NewIdentitiesPerIPAreLimited(t *testing.T) {
	s := newServer(t)
	s.channel("direct-ids", store.ChannelConfig{IdentityMode: store.IdentityDirect, AllowedOrigins: []string{"https://intra.example"}})
	var last response
	created := 0
	for i := range 200 {
		last = s.do("POST", "/widget/session/init", map[string]any{"key": "direct-ids", "external_user_id": fmt.Sprintf("user-%d", i)})
		if last.Status != 200 {
			break
		}
		created++
	}
	if last.Status != 429 || last.code(t) != "rate_limited" || last.Header.Get("Retry-After") == "" || created < 10 {
		t.Fatalf("after %d identities: %d %s", created, last.Status, last.Body)
	}
}

// TestDU05_ParallelRequestsShareTheLimit: requests sent all at once from one
// address cannot each pass the check before any of them is charged: no more
// sessions are created than the limit allows one after another.
func TestDU05_ParallelRequestsShareTheLimit(t *testing.T) {
	s := newServer(t)
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for range 150 {
		wg.Go(func() {
			r := s.do("POST", "/widget/session/init", map[string]any{"key": "demo"})
			mu.Lock()
			codes[r.Status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	// The burst is 60, and a token comes back every 10 s.
	if codes[200] > 61 || codes[429] == 0 || codes[200]+codes[429] != 150 {
		t.Fatalf("150 parallel inits from one address: %v, want at most 61 sessions and the rest 429", codes)
	}
}

// TestAS04_GuessingSessionIDsIsLimited: random session ids are all refused,
// then the address is throttled.
func TestAS04_GuessingSessionIDsIsLimited(t *testing.T) {
	s := newServer(t)
	codes := map[string]int{}
	for i := range 100 {
		r := s.do("POST", "/widget/chat", map[string]any{"session_id": fmt.Sprintf("%043d", i), "message": "hi"})
		codes[r.code(t)]++
	}
	if codes["session_invalid"] == 0 || codes["rate_limited"] == 0 || codes["session_invalid"]+codes["rate_limited"] != 100 {
		t.Fatalf("outcomes %v", codes)
	}
}

// TestOR06_ForgedOriginGrantsNothing: an Origin header alone opens nothing,
// and a browser on a site the channel does not allow cannot start a session.
func TestOR06_ForgedOriginGrantsNothing(t *testing.T) {
	s := newServer(t)
	s.channel("shop", store.ChannelConfig{AllowedOrigins: []string{"https://allowed.example"}})
	if r := s.do("POST", "/widget/chat", map[string]any{"message": "hi"}, "Origin", "https://allowed.example"); r.Status != 401 || r.code(t) != "session_invalid" {
		t.Fatalf("forged origin without a session: %d %s", r.Status, r.Body)
	}
	if r := s.do("POST", "/widget/session/init", map[string]any{"key": "shop"}, "Origin", "https://evil.example"); r.Status != 403 || r.code(t) != "origin_not_allowed" {
		t.Fatalf("disallowed origin: %d %s", r.Status, r.Body)
	}
	r := s.do("POST", "/widget/session/init", map[string]any{"key": "shop"}, "Origin", "https://allowed.example")
	if r.Status != 200 {
		t.Fatalf("allowed origin: %d %s", r.Status, r.Body)
	}
}

// TestOR08_RemovedOriginIsBlockedOnPublish: the frame's CSP follows the
// published list at once (the frame document is never cached).
func TestOR08_RemovedOriginIsBlockedOnPublish(t *testing.T) {
	s := newServer(t)
	s.channel("shop", store.ChannelConfig{AllowedOrigins: []string{"https://a.example", "https://b.example"}})
	ctx := context.Background()
	if _, _, err := s.app.Channels().Update(ctx, "shop", func(c *store.ChannelConfig) { c.AllowedOrigins = []string{"https://a.example"} }); err != nil {
		t.Fatal(err)
	}
	if csp := s.do("GET", "/widget/shop/frame", nil).Header.Get("Content-Security-Policy"); !strings.Contains(csp, "https://b.example") {
		t.Fatalf("an unpublished draft changed the frame: %q", csp)
	}
	if _, err := s.app.Channels().Publish(ctx, "shop"); err != nil {
		t.Fatal(err)
	}
	r := s.do("GET", "/widget/shop/frame", nil)
	if csp := r.Header.Get("Content-Security-Policy"); strings.Contains(csp, "https://b.example") || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("after publish: %q %q", csp, r.Header.Get("Cache-Control"))
	}
}

// TestJW11_ReplayRefusedAfterRestart: the replay record is durable.
func TestJW11_ReplayRefusedAfterRestart(t *testing.T) {
	dir := t.TempDir()
	first := newServer(t, func(c *config.Config) { c.DataDir = dir })
	secret, _ := first.channel("assert", store.ChannelConfig{IdentityMode: store.IdentitySigned, AllowedOrigins: []string{"https://shop.example"}})
	a := assertionFor(secret, "assert", "member")
	if _, m := first.initSessionKey("assert", map[string]any{"assertion": a}); m["mode"] != "identified" {
		t.Fatalf("first use: %v", m)
	}
	first.app.Drain()
	_ = first.app.Close()
	second := newServer(t, func(c *config.Config) { c.DataDir = dir })
	if _, m := second.initSessionKey("assert", map[string]any{"assertion": a}); m["mode"] != "anonymous" || m["identity"].(map[string]any)["reason"] != "replayed" {
		t.Fatalf("after restart: %v", m)
	}
}
