package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/app"
	"github.com/docentchat/docent/internal/config"
)

// server is a real Docent (temp SQLite, demo docs, extractive answerer) behind httptest.
type server struct {
	t   *testing.T
	url string
	app *app.App
	log *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func newServer(t *testing.T, tweak ...func(*config.Config)) *server {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Addr = "127.0.0.1:0"
	cfg.AnswerPace = 0
	cfg.CORSOrigins = []string{"https://partner.example"}
	for _, f := range tweak {
		f(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(io.MultiWriter(logs, &suiteLogs), &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.New(context.Background(), cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		a.Drain()
		ts.Close()
		_ = a.Close()
	})
	return &server{t: t, url: ts.URL, app: a, log: logs}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, r.Body)
	}
	return m
}

func (r response) code(t *testing.T) string {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("status %d: content type %q, want problem+json: %s", r.Status, ct, r.Body)
	}
	c, _ := r.json(t)["code"].(string)
	return c
}

func (s *server) do(method, path string, body any, headers ...string) response {
	s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: data}
}

// initSession starts a demo session and returns its session_id.
func (s *server) initSession(extra map[string]any) (string, map[string]any) {
	s.t.Helper()
	body := map[string]any{"key": "demo"}
	for k, v := range extra {
		body[k] = v
	}
	r := s.do("POST", "/widget/session/init", body)
	if r.Status != 200 {
		s.t.Fatalf("init: %d %s", r.Status, r.Body)
	}
	m := r.json(s.t)
	return canary(m["session_id"].(string)), m
}

func (s *server) messages(token string) []map[string]any {
	s.t.Helper()
	r := s.do("GET", "/widget/session/messages?limit=200", nil, "Authorization", "Bearer "+token)
	if r.Status != 200 {
		s.t.Fatalf("messages: %d %s", r.Status, r.Body)
	}
	var out struct{ Messages []map[string]any }
	_ = json.Unmarshal(r.Body, &out)
	return out.Messages
}

// sseEvent is one parsed server-sent event.
type sseEvent struct {
	ID, Name string
	Data     map[string]any
}

// stream posts a chat message with Accept: text/event-stream and calls each
// for every event until it returns false (then the connection is dropped).
func (s *server) stream(ctx context.Context, body any, each func(sseEvent) bool) (*http.Response, error) {
	data, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(ctx, "POST", s.url+"/widget/chat", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return res, nil
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.Name != "" && !each(ev) {
				return res, nil
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			ev.ID = line[4:]
		case strings.HasPrefix(line, "event: "):
			ev.Name = line[7:]
		case strings.HasPrefix(line, "data: "):
			_ = json.Unmarshal([]byte(line[6:]), &ev.Data)
		}
	}
	return res, sc.Err()
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
