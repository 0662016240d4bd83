package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/config"
)

func TestChatAnswersFromDocsWithCitations(t *testing.T) {
	s := newServer(t)
	token, _ := s.initSession(nil)
	r := s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": "How do I embed the widget on my site?"})
	if r.Status != 200 {
		t.Fatalf("chat: %d %s", r.Status, r.Body)
	}
	m := r.json(t)
	text, _ := m["text"].(string)
	sources, _ := m["sources"].([]any)
	if m["kind"] != "answer" || !strings.Contains(text, "widget.js") || len(sources) == 0 {
		t.Fatalf("want an answer quoting the embed snippet with sources, got %v", m)
	}
	first := sources[0].(map[string]any)
	if !strings.HasPrefix(first["url"].(string), s.app.BaseURL()+"/docs/") || first["title"] == "" || first["snippet"] == "" {
		t.Fatalf("citation should link to the served doc: %v", first)
	}
	if m["session_id"] != token || m["status"] != "complete" || m["chat_ended"] != false || m["ticket_number"] != nil {
		t.Fatalf("reply envelope: %v", m)
	}
}

func TestChatNothingFound(t *testing.T) {
	s := newServer(t)
	token, _ := s.initSession(nil)
	m := s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": "zyxqv wombat quintessence glockenspiel"}).json(t)
	if m["kind"] != "notice" || len(m["sources"].([]any)) != 0 || m["text"] == "" {
		t.Fatalf("want a polite not-found notice without sources, got %v", m)
	}
}

// TestAB01_BadMessagesWriteNothing covers empty, whitespace, oversize and
// malformed messages: a stable code and nothing stored.
func TestAB01_BadMessagesWriteNothing(t *testing.T) {
	s := newServer(t)
	token, _ := s.initSession(nil)
	tests := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"empty", map[string]any{"session_id": token, "message": ""}, 400, "empty_message"},
		{"whitespace", map[string]any{"session_id": token, "message": " \n\t "}, 400, "empty_message"},
		{"missing", map[string]any{"session_id": token}, 400, "empty_message"},
		{"too long", map[string]any{"session_id": token, "message": strings.Repeat("é", 4001)}, 413, "message_too_long"},
		{"body too large", map[string]any{"session_id": token, "message": strings.Repeat("a", 70<<10)}, 413, "message_too_long"}, // PROTOCOL §5: over the size cap
		{"unknown field", map[string]any{"session_id": token, "message": "hi", "model": "expensive"}, 400, "bad_request"},
		{"invalid utf-8", []byte("{\"session_id\":\"" + token + "\",\"message\":\"a\xffb\"}"), 400, "bad_request"},
		{"nul character", map[string]any{"session_id": token, "message": "a\x00b"}, 400, "invalid_field"},
		{"bad client id", map[string]any{"session_id": token, "message": "hi", "client_message_id": "a b"}, 400, "invalid_field"},
		{"unknown session", map[string]any{"session_id": strings.Repeat("x", 43), "message": "hi"}, 401, "session_invalid"},
		{"no session", map[string]any{"message": "hi"}, 401, "session_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.do("POST", "/widget/chat", tt.body)
			if r.Status != tt.status || r.code(t) != tt.code {
				t.Fatalf("= %d %s; want %d %s", r.Status, r.Body, tt.status, tt.code)
			}
		})
	}
	if n := len(s.messages(token)); n != 1 {
		t.Fatalf("rejected messages were stored: %d messages", n)
	}
}

// TestAB12_IdempotentSend: the same client_message_id three times gives one
// stored turn and the same reply; reuse with other text is a conflict.
func TestAB12_IdempotentSend(t *testing.T) {
	s := newServer(t)
	token, _ := s.initSession(nil)
	body := map[string]any{"session_id": token, "message": "Where is my data stored?", "client_message_id": "c-1"}
	var ids []string
	for range 3 {
		m := s.do("POST", "/widget/chat", body).json(t)
		ids = append(ids, m["message_id"].(string))
	}
	if ids[0] != ids[1] || ids[1] != ids[2] {
		t.Fatalf("retries returned different replies: %v", ids)
	}
	if n := len(s.messages(token)); n != 3 {
		t.Fatalf("want greeting + 1 turn, got %d messages", n)
	}
	body["message"] = "Something else"
	if r := s.do("POST", "/widget/chat", body); r.Status != 409 || r.code(t) != "idempotency_key_reused" {
		t.Fatalf("reuse = %d %s", r.Status, r.Body)
	}
	if n := len(s.messages(token)); n != 3 {
		t.Fatalf("a refused reuse wrote messages: %d", n)
	}
}

func TestChatStreamEvents(t *testing.T) {
	s := newServer(t)
	token, _ := s.initSession(nil)
	var events []sseEvent
	res, err := s.stream(context.Background(), map[string]any{"session_id": token, "message": "How do I embed the widget on my site?"},
		func(e sseEvent) bool { events = append(events, e); return true })
	if err != nil {
		t.Fatal(err)
	}
	if res.Header.Get("X-Accel-Buffering") != "no" || res.Header.Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream headers: %v", res.Header)
	}
	var names []string
	var text strings.Builder
	for i, e := range events {
		if id, _ := strconv.Atoi(e.ID); id != i+1 {
			t.Fatalf("event %d has id %q", i, e.ID)
		}
		if len(names) == 0 || names[len(names)-1] != e.Name {
			names = append(names, e.Name)
		}
		if e.Name == "delta" {
			text.WriteString(e.Data["text"].(string))
		}
	}
	if got := strings.Join(names, ","); got != "start,delta,sources,done" {
		t.Fatalf("event sequence %s", got)
	}
	done := events[len(events)-1].Data
	if done["text"] != text.String() || done["message_id"] != events[0].Data["message_id"] || done["kind"] != events[0].Data["kind"] {
		t.Fatalf("done does not match the streamed deltas: %v vs %q", done, text.String())
	}
	if strings.Count(text.String(), " ") < 5 || len(events) < 10 {
		t.Fatalf("expected token-by-token deltas, got %d events", len(events))
	}
}

// TestAB06_OneReplyInFlight: a second send while a reply streams is refused.
func TestAB06_OneReplyInFlight(t *testing.T) {
	s := newServer(t, func(c *config.Config) { c.AnswerPace = 20 * time.Millisecond })
	token, _ := s.initSession(nil)
	started := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var once sync.Once
		_, _ = s.stream(context.Background(), map[string]any{"session_id": token, "message": "How do I embed the widget on my site?"},
			func(e sseEvent) bool { once.Do(func() { close(started) }); return true })
	}()
	<-started
	r := s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": "And another question?"})
	if r.Status != 409 || r.code(t) != "reply_in_progress" {
		t.Fatalf("concurrent send = %d %s", r.Status, r.Body)
	}
	<-finished
	if n := len(s.messages(token)); n != 3 {
		t.Fatalf("want greeting + 1 turn, got %d", n)
	}
}

// TestR15_ClientDisconnectKeepsPartialReply: closing the stream mid-reply
// stops the answer and stores the partial text as interrupted.
func TestR15_ClientDisconnectKeepsPartialReply(t *testing.T) {
	s := newServer(t, func(c *config.Config) { c.AnswerPace = 20 * time.Millisecond })
	token, _ := s.initSession(nil)
	ctx, cancel := context.WithCancel(context.Background())
	deltas := 0
	_, _ = s.stream(ctx, map[string]any{"session_id": token, "message": "How do I embed the widget on my site?"}, func(e sseEvent) bool {
		if e.Name == "delta" {
			deltas++
		}
		if deltas == 3 {
			cancel()
			return false
		}
		return true
	})
	cancel()
	var reply map[string]any
	eventually(t, "the reply to be stored as interrupted", func() bool {
		msgs := s.messages(token)
		reply = msgs[len(msgs)-1]
		return reply["status"] == "interrupted"
	})
	if text, _ := reply["text"].(string); text == "" || strings.Contains(text, "widget.js?key") {
		t.Fatalf("want a short partial text, got %q", text)
	}
	// The visitor can send again: nothing is left in flight.
	if r := s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": "Hello again"}); r.Status != 200 {
		t.Fatalf("send after disconnect: %d %s", r.Status, r.Body)
	}
}

// TestR17_DrainEndsStreamsCleanly: on shutdown a streaming reply ends with an
// error event (draining) and is stored as interrupted.
func TestR17_DrainEndsStreamsCleanly(t *testing.T) {
	s := newServer(t, func(c *config.Config) { c.AnswerPace = 20 * time.Millisecond })
	token, _ := s.initSession(nil)
	var last sseEvent
	deltas := 0
	_, err := s.stream(context.Background(), map[string]any{"session_id": token, "message": "How do I embed the widget on my site?"}, func(e sseEvent) bool {
		if e.Name == "delta" {
			if deltas++; deltas == 2 {
				s.app.Drain()
			}
		}
		last = e
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if last.Name != "error" || last.Data["code"] != "draining" {
		t.Fatalf("last event %v, want error/draining", last)
	}
	msgs := s.messages(token)
	if reply := msgs[len(msgs)-1]; reply["status"] != "interrupted" || reply["text"] == "" {
		t.Fatalf("reply after drain: %v", reply)
	}
}

func TestFrameAndConfigHeaders(t *testing.T) {
	s := newServer(t)
	r := s.do("GET", "/widget/demo/frame", nil)
	csp := r.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors *") || !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "img-src 'self' data:") {
		t.Fatalf("frame CSP: %q", csp)
	}
	if r.Header.Get("Referrer-Policy") != "no-referrer" || r.Header.Get("X-Frame-Options") != "" {
		t.Fatalf("frame headers: %v", r.Header)
	}
	c := s.do("GET", "/widget/demo/config.json", nil, "Origin", "https://anywhere.example")
	m := c.json(t)
	for _, k := range []string{"key", "version", "title", "greeting", "language", "position", "launcher", "theme", "suggested_questions", "persona", "identity", "allowed_origins", "locales"} {
		if _, ok := m[k]; !ok {
			t.Errorf("config.json lacks %q", k)
		}
	}
	for _, secret := range []string{"secret", "agent_id", "instructions", "collection"} {
		if strings.Contains(strings.ToLower(string(c.Body)), secret) {
			t.Errorf("config.json mentions %q: %s", secret, c.Body)
		}
	}
	if c.Header.Get("Access-Control-Allow-Origin") != "https://anywhere.example" || c.Header.Get("ETag") == "" ||
		!strings.Contains(c.Header.Get("Cache-Control"), "max-age=60") {
		t.Fatalf("config.json headers: %v", c.Header)
	}
	if r := s.do("GET", "/widget/demo/config.json", nil, "If-None-Match", c.Header.Get("ETag")); r.Status != 304 {
		t.Fatalf("conditional GET = %d", r.Status)
	}
	if r := s.do("GET", "/widget/nope/frame", nil); r.Status != 404 || r.code(t) != "channel_not_found" {
		t.Fatalf("unknown frame = %d %s", r.Status, r.Body)
	}
}

// TestOR05_CORS: only configured or channel origins are echoed, never null or *.
func TestOR05_CORS(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		origin, want string
	}{
		{"https://partner.example", "https://partner.example"},
		{"https://evil.example", ""},
		{"null", ""},
		{"https://partner.example.evil.net", ""},
	}
	for _, tt := range tests {
		r := s.do("OPTIONS", "/widget/session/init", nil, "Origin", tt.origin, "Access-Control-Request-Method", "POST")
		if got := r.Header.Get("Access-Control-Allow-Origin"); got != tt.want || !strings.Contains(r.Header.Get("Vary"), "Origin") {
			t.Errorf("preflight from %s: ACAO %q Vary %q; want %q", tt.origin, got, r.Header.Get("Vary"), tt.want)
		}
		if r.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("credentials allowed for %s", tt.origin)
		}
	}
}

// TestAD02_NoSecretsInLogs: session ids and message texts never reach the logs.
func TestAD02_NoSecretsInLogs(t *testing.T) {
	s := newServer(t)
	token, _ := s.initSession(nil)
	canary := "canary-7d1f0e9b message text"
	s.do("POST", "/widget/chat", map[string]any{"session_id": token, "message": canary})
	s.do("GET", "/widget/session/messages", nil, "Authorization", "Bearer "+token)
	s.do("POST", "/widget/chat", map[string]any{"session_id": token + "x", "message": canary})
	logs := s.log.String()
	if !strings.Contains(logs, "request") {
		t.Fatal("nothing was logged; the check would prove nothing")
	}
	for _, secret := range []string{token, canary, "canary-7d1f0e9b"} {
		if strings.Contains(logs, secret) {
			t.Fatalf("logs contain %q", secret)
		}
	}
}

// TestSSEHeartbeat: a quiet stream carries keep-alive comments.
func TestSSEHeartbeat(t *testing.T) {
	s := newServer(t, func(c *config.Config) { c.AnswerPace = 30 * time.Millisecond; c.SSEHeartbeat = 5 * time.Millisecond })
	token, _ := s.initSession(nil)
	req, _ := http.NewRequest("POST", s.url+"/widget/chat", strings.NewReader(`{"session_id":"`+token+`","message":"How do I embed the widget on my site?"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(body), "\n: ping\n") || !strings.Contains(string(body), "event: done") {
		t.Fatalf("no heartbeat in the stream: %.400s", body)
	}
}
