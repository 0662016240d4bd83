package e2e

import (
	"bytes"
	"context"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/app"
	"github.com/docentchat/docent/internal/config"
)

// lockedBuffer collects log lines written from several goroutines (the
// server, console readers) for dumping when a test fails.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// docentServer is a real Docent (composition root, SQLite in a temp dir,
// the seeded demo channel) listening on 127.0.0.1.
type docentServer struct {
	URL  string // the origin browsers use, e.g. http://127.0.0.1:41234
	logs *lockedBuffer
	// stop begins the server's shutdown, as SIGTERM does: streams in flight
	// are told to retry (draining), new requests are refused.
	stop func()
}

// startDocent boots Docent the way `docent serve` does and stops it when the
// test ends. pace is the delay between streamed deltas of the extractive
// answerer: non-zero makes token-by-token streaming observable.
func startDocent(t *testing.T, pace time.Duration) *docentServer {
	t.Helper()
	return startDocentWith(t, pace, nil)
}

// startDocentWith is startDocent with a setup step that runs on the built
// app before it serves (creating and publishing channels, say). baseURL is
// the origin Docent will be reached at.
func startDocentWith(t *testing.T, pace time.Duration, setup func(ctx context.Context, a *app.App, baseURL string) error) *docentServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Addr = ln.Addr().String()
	cfg.BaseURL = "http://" + ln.Addr().String()
	cfg.AnswerPace = pace
	cfg.ShutdownTimeout = 5 * time.Second
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		cancel()
		_ = ln.Close()
		t.Fatalf("app.New: %v\n%s", err, logs)
	}
	if setup != nil {
		if err := setup(ctx, a, cfg.BaseURL); err != nil {
			cancel()
			_ = ln.Close()
			_ = a.Close()
			t.Fatalf("setup: %v\n%s", err, logs)
		}
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln, nil) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(cfg.ShutdownTimeout + 5*time.Second):
			t.Errorf("Serve did not return within %v of shutdown", cfg.ShutdownTimeout+5*time.Second)
		}
		if err := a.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if t.Failed() {
			t.Logf("docent log:\n%s", logs)
		}
	})
	return &docentServer{URL: cfg.BaseURL, logs: logs, stop: cancel}
}

// startHostPages serves the host pages of testdata/ (NAME.html at /NAME) on
// a second listener, reached as http://localhost:PORT: another host and port
// than Docent's 127.0.0.1, so another site, and the widget iframe is a
// cross-site, out-of-process frame as on a real customer's site.
func startHostPages(t *testing.T, docentURL string) (base string) {
	t.Helper()
	pages := template.Must(template.ParseGlob("testdata/*.html"))
	return serveOtherSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" {
			w.WriteHeader(http.StatusNoContent) // keeps the console free of a 404
			return
		}
		page := pages.Lookup(strings.TrimPrefix(r.URL.Path, "/") + ".html")
		if page == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := page.Execute(w, map[string]string{"Docent": docentURL}); err != nil {
			t.Errorf("host page %s: %v", r.URL.Path, err)
		}
	}))
}

// serveOtherSite serves h on a new listener and returns its origin,
// http://localhost:PORT: another host and port than Docent's 127.0.0.1, so
// another site, as a customer's page is.
func serveOtherSite(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return "http://localhost:" + port
}
