package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/config"
	"github.com/docentchat/docent/internal/store"
)

func testConfig(t *testing.T, dir string) config.Config {
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.Addr = "127.0.0.1:0"
	cfg.AnswerPace = 30 * time.Millisecond
	cfg.ShutdownTimeout = 20 * time.Second
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func post(t *testing.T, url string, body any) map[string]any {
	t.Helper()
	data, _ := json.Marshal(body)
	res, err := http.Post(url, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return m
}

// TestR17_ShutdownDrainsStreams: cancelling Run's context (SIGTERM) ends an
// in-flight SSE reply with a draining error and returns well before the
// shutdown timeout, instead of hanging on the open stream.
func TestR17_ShutdownDrainsStreams(t *testing.T) {
	dir := t.TempDir()
	a, err := New(context.Background(), testConfig(t, dir), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln, nil) }()
	base := "http://" + ln.Addr().String()

	token := post(t, base+"/widget/session/init", map[string]any{"key": "demo"})["session_id"].(string)
	data, _ := json.Marshal(map[string]any{"session_id": token, "message": "How do I embed the widget on my site?"})
	req, _ := http.NewRequest("POST", base+"/widget/chat", bytes.NewReader(data))
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "event: delta") {
	}
	began := time.Now()
	stop()
	rest, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(rest), `"code":"draining"`) {
		t.Fatalf("stream did not end with a draining error: %s", rest)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after shutdown")
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Fatalf("shutdown took %v", d)
	}
}

// TestR18_StartupSweepsStreamingReplies: a reply left streaming by a crash is
// marked interrupted when Docent starts again, on SQLite at once even if the
// crashed instance beat a moment ago (one process per database); the user
// message is kept.
func TestR18_StartupSweepsStreamingReplies(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	ctx := context.Background()
	st, err := OpenStore(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Heartbeat(ctx, "crashed-instance", time.Now()); err != nil {
		t.Fatal(err)
	}
	turn := streamingReply(t, st, "crashed-instance")
	_ = st.Close() // the "crash": the reply never finished

	a, err := New(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	msgs, err := a.store.Messages(ctx, turn.Reply.SessionID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].Text != "are you there?" || msgs[1].ID != turn.Reply.ID || msgs[1].Status != store.StatusInterrupted {
		t.Fatalf("after restart: %+v", msgs)
	}
}

// TestMetricsListener: with --metrics-addr, /metrics moves off the public listener.
func TestMetricsListener(t *testing.T) {
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := mln.Addr().String()
	mln.Close()
	cfg := testConfig(t, t.TempDir())
	cfg.MetricsAddr = metricsAddr
	a, err := New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ready := make(chan struct{})
	go func() { _ = a.Serve(ctx, ln, func(net.Addr) { close(ready) }) }()
	<-ready
	get := func(url string) int {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get("http://" + metricsAddr + "/metrics"); code != 200 {
		t.Fatalf("metrics listener: %d", code)
	}
	if code := get("http://" + ln.Addr().String() + "/metrics"); code != 404 {
		t.Fatalf("public /metrics: %d", code)
	}
}
