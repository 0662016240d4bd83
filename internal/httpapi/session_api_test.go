package httpapi_test

import (
	"strings"
	"testing"
)

func TestOperations(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/healthz", 200, `{"status":"ok"}`},
		{"/readyz", 200, `"database":"ok"`},
		{"/metrics", 200, "docent_http_requests_total"},
		{"/nope", 404, `"code":"not_found"`},
		{"/widget/demo/frame", 200, `<div id="docent-app" data-key="demo">`},
		{"/widget.js", 200, ""},
		{"/docs/README.md", 200, "# Docent"},
		{"/docs/../go.mod", 404, ""},
		{"/", 200, `src="/widget.js?key=demo"`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := s.do("GET", tt.path, nil)
			if r.Status != tt.status || !strings.Contains(string(r.Body), tt.want) {
				t.Fatalf("GET %s = %d %.300s; want %d containing %q", tt.path, r.Status, r.Body, tt.status, tt.want)
			}
		})
	}
}

func TestReadyzFailsWhileDraining(t *testing.T) {
	s := newServer(t)
	s.app.Drain()
	if r := s.do("GET", "/readyz", nil); r.Status != 503 || r.code(t) != "draining" {
		t.Fatalf("readyz while draining = %d %s", r.Status, r.Body)
	}
}

func TestSessionInit(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		name     string
		body     any
		status   int
		code     string
		language string
	}{
		{"new session by key", map[string]any{"key": "demo"}, 200, "", "en"},
		{"bot_id compat", map[string]any{"bot_id": "demo"}, 200, "", "en"},
		{"browser locale", map[string]any{"key": "demo", "browser_locale": "de-DE"}, 200, "", "de"},
		{"locale beats browser", map[string]any{"key": "demo", "locale": "ja", "browser_locale": "de-DE"}, 200, "", "ja"},
		{"unsupported locale falls back", map[string]any{"key": "demo", "browser_locale": "xx"}, 200, "", "en"},
		{"unknown channel", map[string]any{"key": "nope"}, 404, "channel_not_found", ""},
		{"malformed key", map[string]any{"key": "Bad Key!"}, 400, "invalid_key", ""},
		{"key and bot_id disagree", map[string]any{"key": "demo", "bot_id": "other"}, 400, "invalid_field", ""},
		{"unknown field", map[string]any{"key": "demo", "admin": true}, 400, "bad_request", ""},
		{"not an object", `["demo"]`, 400, "bad_request", ""},
		{"trailing data", `{"key":"demo"} {}`, 400, "bad_request", ""},
		{"contact id with control chars", map[string]any{"key": "demo", "contact_id": "a\u0000b"}, 400, "invalid_field", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.do("POST", "/widget/session/init", tt.body)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			if tt.code != "" {
				if got := r.code(t); got != tt.code {
					t.Fatalf("code %q, want %q", got, tt.code)
				}
				return
			}
			m := r.json(t)
			token, _ := m["session_id"].(string)
			if len(token) < 43 {
				t.Fatalf("session_id %q is shorter than 256 bits of base64url", token)
			}
			msgs := m["messages"].([]any)
			greeting := msgs[0].(map[string]any)
			if len(msgs) != 1 || greeting["kind"] != "greeting" || greeting["text"] == "" {
				t.Fatalf("want exactly the greeting, got %v", msgs)
			}
			if m["language"] != tt.language || m["resumed"] != false || m["status"] != "open" || m["mode"] != "anonymous" {
				t.Fatalf("unexpected session: %v", m)
			}
		})
	}
}

func TestGreetingIsLocalized(t *testing.T) {
	s := newServer(t)
	_, en := s.initSession(nil)
	_, de := s.initSession(map[string]any{"browser_locale": "de"})
	textOf := func(m map[string]any) string { return m["messages"].([]any)[0].(map[string]any)["text"].(string) }
	if textOf(en) == textOf(de) {
		t.Fatalf("German greeting equals English: %q", textOf(de))
	}
}

// TestAS02_ResumeAndNewChat covers resume by kept session_id, no second
// greeting on resume, Start new chat, and closed sessions never resumed.
func TestAS02_ResumeAndNewChat(t *testing.T) {
	s := newServer(t)
	token, _ := s.initSession(nil)
	if r := s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": "How do I embed the widget on my site?"}); r.Status != 200 {
		t.Fatalf("chat: %d %s", r.Status, r.Body)
	}
	_, resumed := s.initSession(map[string]any{"session_id": token})
	if resumed["resumed"] != true || resumed["session_id"] != token || len(resumed["messages"].([]any)) != 3 {
		t.Fatalf("resume: %v", resumed)
	}
	// A token that was never issued starts a fresh session (AS-04).
	fresh, m := s.initSession(map[string]any{"session_id": strings.Repeat("A", 43)})
	if fresh == token || m["resumed"] != false {
		t.Fatalf("unknown token resumed something: %v", m)
	}
	r := s.do("POST", "/widget/session/new", map[string]any{"session_id": token})
	if r.Status != 200 {
		t.Fatalf("new: %d %s", r.Status, r.Body)
	}
	next := r.json(t)
	if next["session_id"] == token || len(next["messages"].([]any)) != 1 || next["resumed"] != false {
		t.Fatalf("new chat: %v", next)
	}
	// The old session is closed: no chat, no resume.
	if r := s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": "hi"}); r.Status != 409 || r.code(t) != "session_closed" {
		t.Fatalf("chat on closed session = %d %s", r.Status, r.Body)
	}
	if _, again := s.initSession(map[string]any{"session_id": token}); again["resumed"] != false || again["session_id"] == token {
		t.Fatalf("closed session was resumed: %v", again)
	}
}

func TestSessionClose(t *testing.T) {
	s := newServer(t)
	token, _ := s.initSession(nil)
	r := s.do("POST", "/widget/session/close", map[string]any{"session_id": token})
	if r.Status != 200 || r.json(t)["chat_ended"] != true {
		t.Fatalf("close: %d %s", r.Status, r.Body)
	}
	if r := s.do("POST", "/widget/session/close", map[string]any{"session_id": "nope"}); r.Status != 401 || r.code(t) != "session_invalid" {
		t.Fatalf("close unknown = %d %s", r.Status, r.Body)
	}
}

func TestMessagesPagination(t *testing.T) {
	s := newServer(t)
	token, _ := s.initSession(nil)
	for _, q := range []string{"How do I embed the widget?", "How do I ingest documents?"} {
		if r := s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": q}); r.Status != 200 {
			t.Fatalf("chat: %d %s", r.Status, r.Body)
		}
	}
	all := s.messages(token)
	if len(all) != 5 {
		t.Fatalf("want greeting + 2 turns = 5 messages, got %d", len(all))
	}
	var seen []string
	after := ""
	for range 10 {
		r := s.do("GET", "/widget/session/messages?limit=2&after="+after, nil, "Authorization", "Bearer "+token)
		m := r.json(t)
		for _, msg := range m["messages"].([]any) {
			seen = append(seen, msg.(map[string]any)["id"].(string))
		}
		if after = m["next_cursor"].(string); after == "" {
			break
		}
	}
	if len(seen) != 5 || seen[0] != all[0]["id"] || seen[4] != all[4]["id"] {
		t.Fatalf("pagination saw %v", seen)
	}
	if r := s.do("GET", "/widget/session/messages", nil); r.Status != 401 || r.code(t) != "session_invalid" {
		t.Fatalf("no bearer = %d %s", r.Status, r.Body)
	}
	if r := s.do("GET", "/widget/session/messages?limit=0", nil, "Authorization", "Bearer "+token); r.Status != 400 {
		t.Fatalf("limit=0 = %d", r.Status)
	}
}

// TestPM09_TokenInURL: credentials in a query string are refused everywhere.
func TestPM09_TokenInURL(t *testing.T) {
	s := newServer(t)
	for _, p := range []string{"/widget/demo/frame?identity_token=x", "/widget/demo/frame?session_id=x", "/widget/demo/frame?JWT=x",
		"/widget/session/messages?session_id=x", "/widget/demo/config.json?assertion=x", "/widget/demo/frame?token=abc"} {
		r := s.do("GET", p, nil)
		if r.Status != 400 || r.code(t) != "token_in_url" {
			t.Errorf("GET %s = %d %s", p, r.Status, r.Body)
		}
	}
	if strings.Contains(s.log.String(), "token=abc") {
		t.Fatal("a query string reached the logs")
	}
}
