package httpapi_test

// The server side of the frame's issue-4 features: POST /widget/telemetry
// (handshake latency, refused configs), the greeting override, the language
// menu's choice, and the test persona's debug data (never on other personas).

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/docentchat/docent/internal/store"
)

func (s *server) metric(sample string) float64 {
	s.t.Helper()
	r := s.do("GET", "/metrics", nil)
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`).FindSubmatch(r.Body)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// TestPM01_TelemetryCountsRefusalsAndHandshakes: valid reports feed the
// histogram and the refusal counter; anything else is refused whole (400)
// and records nothing; other sites cannot report (403); the endpoint is
// rate limited.
func TestPM01_TelemetryCountsRefusalsAndHandshakes(t *testing.T) {
	s := newServer(t)
	ok := s.do("POST", "/widget/telemetry", map[string]any{"handshake_ms": 42.5, "refused": map[string]int{"origin_not_allowed": 3, "stale_nonce": 1}},
		"Origin", s.url, "Sec-Fetch-Site", "same-origin")
	if ok.Status != 204 {
		t.Fatalf("valid report: %d %s", ok.Status, ok.Body)
	}
	if got := s.do("POST", "/widget/telemetry", map[string]any{"refused": map[string]int{"bad_message": 2}}); got.Status != 204 {
		t.Fatalf("a report without Origin (sendBeacon-like): %d", got.Status)
	}
	for sample, want := range map[string]float64{
		"docent_widget_handshake_seconds_count":                           1,
		`docent_widget_handshake_seconds_bucket{le="0.05"}`:               1,
		`docent_widget_config_refused_total{reason="origin_not_allowed"}`: 3,
		`docent_widget_config_refused_total{reason="stale_nonce"}`:        1,
		`docent_widget_config_refused_total{reason="bad_message"}`:        2,
	} {
		if got := s.metric(sample); got != want {
			t.Errorf("%s = %v, want %v", sample, got, want)
		}
	}
	for _, tc := range []struct {
		name   string
		body   any
		status int
	}{
		{"negative latency", `{"handshake_ms": -1}`, 400},
		{"latency over a minute", `{"handshake_ms": 60001}`, 400},
		{"latency as a string", `{"handshake_ms": "5"}`, 400},
		{"unknown reason", `{"refused": {"user_42": 1}}`, 400},
		{"count too large", `{"refused": {"stale_nonce": 1001}}`, 400},
		{"count zero", `{"refused": {"stale_nonce": 0}}`, 400},
		{"identifiers are not fields", `{"handshake_ms": 5, "channel": "demo", "user_id": "42"}`, 400},
		{"not an object", `[1]`, 400},
	} {
		if r := s.do("POST", "/widget/telemetry", tc.body); r.Status != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.name, r.Status, tc.status, r.Body)
		}
	}
	for _, h := range [][]string{{"Origin", "https://evil.example"}, {"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"}} {
		if r := s.do("POST", "/widget/telemetry", `{"handshake_ms": 5}`, h...); r.Status != 403 || r.code(t) != "origin_not_allowed" {
			t.Errorf("another site's report %v: %d %s", h, r.Status, r.Body)
		}
	}
	if got := s.metric("docent_widget_handshake_seconds_count"); got != 1 {
		t.Errorf("refused reports were recorded: count %v", got)
	}
	limited := false
	for i := 0; i < 60 && !limited; i++ {
		limited = s.do("POST", "/widget/telemetry", `{"handshake_ms": 5}`).Status == 429
	}
	if !limited {
		t.Error("60 reports in a row were never rate limited")
	}
}

// TestGreetingOverride: a new session's greeting is the embed's intro
// message (stored, shown as text); a resumed one gets none; Start new chat
// uses the override again; an oversized or control-character greeting is a
// clear 400.
func TestGreetingOverride(t *testing.T) {
	s := newServer(t)
	intro := "Hi <b>there</b>! Ask about embedding."
	token, m := s.initSession(map[string]any{"greeting": intro})
	msgs := m["messages"].([]any)
	if len(msgs) != 1 || msgs[0].(map[string]any)["text"] != intro || msgs[0].(map[string]any)["kind"] != "greeting" {
		t.Fatalf("greeting = %v", msgs)
	}
	_, resumed := s.initSession(map[string]any{"greeting": "Other", "session_id": token})
	if resumed["resumed"] != true || len(resumed["messages"].([]any)) != 1 {
		t.Errorf("a resumed session gets no new greeting: %v", resumed)
	}
	r := s.do("POST", "/widget/session/new", map[string]any{"session_id": token, "greeting": "Welcome back."})
	if r.Status != 200 || r.json(t)["messages"].([]any)[0].(map[string]any)["text"] != "Welcome back." {
		t.Errorf("new chat with a greeting: %d %s", r.Status, r.Body)
	}
	for _, bad := range []string{strings.Repeat("x", 1001), "a\x00b", "bell\x07"} {
		r := s.do("POST", "/widget/session/init", map[string]any{"key": "demo", "greeting": bad})
		if r.Status != 400 || r.code(t) != "invalid_field" {
			t.Errorf("greeting %q: %d %s", bad[:4], r.Status, r.Body)
		}
	}
}

// TestLanguageChoiceFollowsTheMenu: the widget's language menu choice
// becomes the session language and the reply's.
func TestLanguageChoiceFollowsTheMenu(t *testing.T) {
	s := newServer(t)
	token, m := s.initSession(map[string]any{"locale": "en"})
	if m["language"] != "en" {
		t.Fatalf("language = %v", m["language"])
	}
	r := s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": "How do I embed the widget?", "language": "de-AT"})
	if r.Status != 200 || r.json(t)["language"] != "de" {
		t.Fatalf("reply language: %d %s", r.Status, r.Body)
	}
	r = s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": "And identity?"})
	if r.json(t)["language"] != "de" {
		t.Errorf("the choice is sticky: %s", r.Body)
	}
	if r := s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": "x", "language": strings.Repeat("a", 40)}); r.Status != 400 {
		t.Errorf("an absurd language tag: %d", r.Status)
	}
}

// TestTestPersonaDebugOnlyOnTestChannels: a test-persona channel's replies
// carry `debug` (provider, model, passages with scores, tokens, latencies)
// in JSON and in the SSE done event, and its sessions the language decision;
// the same requests on a public channel carry none.
func TestTestPersonaDebugOnlyOnTestChannels(t *testing.T) {
	s := newServer(t)
	s.channel("qa", store.ChannelConfig{Persona: store.PersonaTest})
	s.channel("pub", store.ChannelConfig{Persona: store.PersonaPublic})
	for _, tc := range []struct {
		key   string
		debug bool
	}{{"qa", true}, {"pub", false}, {"demo", false}} {
		init := s.do("POST", "/widget/session/init", map[string]any{"key": tc.key, "locale": "fr", "browser_locale": "de-DE"})
		if init.Status != 200 {
			t.Fatalf("%s init: %d %s", tc.key, init.Status, init.Body)
		}
		im := init.json(t)
		token := canary(im["session_id"].(string))
		if d, has := im["debug"].(map[string]any); has != tc.debug || (has && (d["chosen"] != "fr" || d["requested"] != "fr" || d["browser"] != "de-DE")) {
			t.Errorf("%s init debug = %v (want present: %t)", tc.key, im["debug"], tc.debug)
		}
		r := s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": "How do I embed the widget?"})
		d, has := r.json(t)["debug"].(map[string]any)
		if has != tc.debug {
			t.Fatalf("%s JSON debug present = %t: %s", tc.key, has, r.Body)
		}
		if has {
			passages, _ := d["passages"].([]any)
			if d["provider"] != "extractive" || len(passages) == 0 || d["total_ms"] == nil || d["output_tokens"] == nil {
				t.Errorf("%s debug = %v", tc.key, d)
			}
			if p := passages[0].(map[string]any); p["score"] == nil || p["title"] == "" {
				t.Errorf("passage without score or title: %v", p)
			}
		}
		var done map[string]any
		if _, err := s.stream(context.Background(), map[string]any{"session_id": token, "message": "And identity tokens?"}, func(e sseEvent) bool {
			if e.Name == "done" {
				done = e.Data
			}
			return true
		}); err != nil || done == nil {
			t.Fatalf("%s stream: %v %v", tc.key, err, done)
		}
		if _, has := done["debug"]; has != tc.debug {
			t.Errorf("%s SSE done debug present = %t", tc.key, has)
		}
	}
}

// TestAgentOverride: an embed's agent_id is honoured only for an agent the
// channel lists in override_agents (or its own); any other agent of the
// instance is ignored with the warning agent_not_allowed, and the channel's
// agent answers.
func TestAgentOverride(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	demo, err := s.app.Store().AgentByName(ctx, "docent-demo")
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name string) store.Agent {
		a := demo
		a.ID, a.Name, a.Model = "", name, "model-"+name
		got, err := s.app.Store().CreateAgent(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	listed, unlisted := mk("listed"), mk("unlisted")
	s.channel("multi", store.ChannelConfig{Persona: store.PersonaTest, OverrideAgents: []string{listed.ID}})
	for _, tc := range []struct {
		name, agent, model string
		warned             bool
	}{
		{"no agent asked", "", demo.Model, false},
		{"the channel's own", demo.ID, demo.Model, false},
		{"a listed override", listed.ID, "model-listed", false},
		{"another agent of the instance", unlisted.ID, demo.Model, true},
		{"no such agent", "nope", demo.Model, true},
	} {
		r := s.do("POST", "/widget/session/init", map[string]any{"key": "multi", "agent_id": tc.agent})
		m := r.json(t)
		warnings, _ := m["warnings"].([]any)
		if r.Status != 200 || (len(warnings) == 1 && warnings[0] == "agent_not_allowed") != tc.warned {
			t.Errorf("%s: %d warnings %v", tc.name, r.Status, warnings)
			continue
		}
		chat := s.do("POST", "/widget/chat", map[string]any{"session_id": canary(m["session_id"].(string)), "message": "How do I embed the widget?"})
		d, _ := chat.json(t)["debug"].(map[string]any)
		if d["model"] != tc.model {
			t.Errorf("%s: answered by model %v, want %s", tc.name, d["model"], tc.model)
		}
	}
}

// TestFrameEmbedsPublicConfig: the frame document carries the channel's
// public config as inert JSON (no config.json round trip before the
// handshake can be acknowledged), escaped so that a hostile title cannot
// end the script element.
func TestFrameEmbedsPublicConfig(t *testing.T) {
	s := newServer(t)
	s.channel("hostile", store.ChannelConfig{Title: `</script><script>alert(1)</script>`, Persona: store.PersonaPublic})
	r := s.do("GET", "/widget/hostile/frame", nil)
	if r.Status != 200 {
		t.Fatalf("frame: %d %s", r.Status, r.Body)
	}
	body := string(r.Body)
	m := regexp.MustCompile(`<script type="application/json" id="docent-config">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no embedded config in %s", body)
	}
	var cfg map[string]any
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("embedded config is not JSON: %v: %s", err, m[1])
	}
	if cfg["key"] != "hostile" || cfg["title"] != `</script><script>alert(1)</script>` || cfg["persona"] != "public" {
		t.Errorf("embedded config = %v", cfg)
	}
	if strings.Count(body, "<script") != 2 {
		t.Errorf("the title escaped its element: %s", body)
	}
}
