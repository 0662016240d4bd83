// Package webbench is the harness of the browser benchmarks (bench/hostcost,
// bench/openlatency): a real Docent in-process (the composition root, SQLite
// in a temporary directory, the seeded demo channel), host pages on another
// origin (http://localhost:PORT, while Docent is http://127.0.0.1:PORT, so the
// widget frame is cross-site as on a customer's page), and headless Chromium
// driven over the DevTools protocol, one fresh browser context per run.
package webbench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/docentchat/docent/internal/app"
	"github.com/docentchat/docent/internal/config"
	"github.com/docentchat/docent/internal/testbrowser"
)

// Docent is a running Docent.
type Docent struct {
	URL  string // e.g. http://127.0.0.1:41234
	stop func() error
}

// Close stops the server and closes its store.
func (d *Docent) Close() error { return d.stop() }

// StartDocent builds Docent through its composition root as `docent serve`
// does, logging nowhere, and serves its handler.
// extra serves more files on Docent's own origin, ahead of its routes (path
// → body, as StartHost serves them): a benchmark's reference scripts then
// load the way the loader does, over the same connection.
func StartDocent(extra map[string]string) (*Docent, error) {
	dir, err := os.MkdirTemp("", "docent-bench-")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.Addr = ln.Addr().String()
	cfg.BaseURL = "http://" + ln.Addr().String()
	cfg.ShutdownTimeout = 5 * time.Second
	cfg.AnswerPace = 0 // answers at once: the benchmarks measure the browser side
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		cancel()
		_ = ln.Close()
		return nil, fmt.Errorf("start docent: %w", err)
	}
	// Docent's own handler behind the extra files, on a plain server: the
	// benchmarks measure the browser, not the server's timeouts.
	files, docent := serveFiles(extra), a.Handler()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := extra[r.URL.Path]; ok {
			files.ServeHTTP(w, r)
			return
		}
		docent.ServeHTTP(w, r)
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &Docent{URL: cfg.BaseURL, stop: func() error {
		cancel()
		a.Drain()
		return errors.Join(srv.Close(), a.Close(), os.RemoveAll(dir))
	}}, nil
}

// Host serves pages (path → HTML) on http://localhost:PORT.
type Host struct {
	Origin string
	srv    *http.Server
}

func (h *Host) Close() error { return h.srv.Close() }

// StartHost serves pages (scripts when the path ends in .js), never cached.
func StartHost(pages map[string]string) (*Host, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: serveFiles(pages), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return &Host{Origin: "http://localhost:" + port, srv: srv}, nil
}

// serveFiles serves path → body: HTML, or JavaScript when the path ends in
// .js, never cached; other paths (favicon and the like) get 204.
func serveFiles(files map[string]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		ctype := "text/html; charset=utf-8"
		if strings.HasSuffix(r.URL.Path, ".js") {
			ctype = "text/javascript; charset=utf-8"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, body)
	})
}

// ChromiumPath finds Debian's Chromium or one on PATH.
func ChromiumPath() (string, error) { return testbrowser.Path() }

// Browser is one headless Chromium. Isolated false turns site isolation off
// (the cross-site frame then runs in the host page's renderer process, as on
// Android, where Chrome isolates only some sites), so that the CPU throttle
// of the page also slows the frame.
type Browser struct {
	ctx    context.Context
	cancel func()
}

func NewBrowser(isolated bool) (*Browser, error) {
	path, err := ChromiumPath()
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "docent-bench-chromium-")
	if err != nil {
		return nil, err
	}
	opts := testbrowser.Options(path, profile, 1280, 800)
	if !isolated {
		opts = append(opts, chromedp.Flag("disable-site-isolation-trials", true), chromedp.Flag("site-per-process", false))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx, cancel: func() {
		cancelCtx()
		cancelAlloc()
		_ = os.RemoveAll(profile)
	}}
	start, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			b.cancel()
			return nil, fmt.Errorf("start chromium: %w", err)
		}
	case <-start.Done():
		b.cancel()
		return nil, errors.New("chromium did not start within 30s")
	}
	return b, nil
}

func (b *Browser) Close() { b.cancel() }

// FreshTab opens a tab in a new browser context (no cache, cookies or
// storage from earlier runs), bounded by timeout.
func (b *Browser) FreshTab(timeout time.Duration) (context.Context, context.CancelFunc) {
	tab, closeTab := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	ctx, cancel := context.WithTimeout(tab, timeout)
	return ctx, func() { cancel(); closeTab() }
}

// Eval evaluates a JavaScript expression, awaiting a promise result.
func Eval[T any](ctx context.Context, expression string) (T, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[T](expression, func(p *runtime.EvaluateParams) {
		await := true
		p.AwaitPromise = &await
	}))
}

// RequireChromium skips a benchmark's smoke test when Chromium is missing,
// except under CI=true, where browser benchmarks must run: there a missing
// browser fails the test instead of hiding behind a skip.
func RequireChromium(t testing.TB) {
	t.Helper()
	if _, err := ChromiumPath(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v (CI=true: browser benchmarks must run in CI)", err)
		}
		t.Skipf("SKIPPING BROWSER BENCHMARK: %v", err)
	}
}
