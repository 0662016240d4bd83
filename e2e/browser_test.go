package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/docentchat/docent/internal/testbrowser"
)

// testTimeout bounds each browser test; the whole package stays well under
// three minutes on two cores.
const testTimeout = 60 * time.Second

// pollInterval is how often in-page predicates are re-evaluated. A timer
// rather than requestAnimationFrame: frames of a hidden or occluded iframe
// may not get animation frames at all.
const pollInterval = 20 * time.Millisecond

// chromiumPath finds the browser or stops the test. Browser tests must run in
// CI, so there a missing browser is a failure; on a developer machine it is a
// loud skip.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path, err := testbrowser.Path()
	if err == nil {
		return path
	}
	const msg = "SKIPPING BROWSER TESTS: chromium not installed; apt-get install chromium"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: browser tests must run in CI)")
	}
	t.Skip(msg)
	return ""
}

// browser is one headless Chromium with a fresh profile and its first tab.
type browser struct {
	tab     context.Context // the first tab; has no deadline, see newBrowser
	console *lockedBuffer   // console messages and exceptions of every attached target
}

// newBrowser starts Chromium for one test and closes it at the end. The
// browser is started on a context without a deadline (its life is bound to
// the context of the first Run); tests put their deadline on contexts derived
// from tab.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := chromiumPath(t)
	profile, err := os.MkdirTemp("", "docent-e2e-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := testbrowser.Options(path, profile, 1280, 900)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{console: &lockedBuffer{}}
	// chromedp's own complaints (protocol events it does not expect) go with
	// the console output, shown only when a test fails.
	tab, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(format string, args ...any) {
		fmt.Fprintf(b.console, "[chromedp] "+format+"\n", args...)
	}))
	b.tab = tab
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser process to exit
		_ = os.RemoveAll(profile)
		if t.Failed() {
			t.Logf("browser console:\n%s", b.console)
		}
	})
	startCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(tab) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start chromium: %v", err)
		}
	case <-startCtx.Done():
		t.Fatal("chromium did not start within 30s")
	}
	b.recordConsole(tab, "host")
	return b
}

// recordConsole copies the console of a target into b.console until the
// target's context ends.
func (b *browser) recordConsole(ctx context.Context, label string) {
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			fmt.Fprintf(b.console, "[%s] %s %s:%d %s\n", label, m.Type, m.URL, m.Line+1, m)
		}
	}()
}

// waitFor evaluates a JavaScript expression in the target of ctx until it is
// truthy and returns that value. what names the condition in the error.
func waitFor[T any](ctx context.Context, what, expression string) (T, error) {
	timeout := 30 * time.Second
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
	}
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expression,
		chromedp.WithPollingInterval(pollInterval), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		return v, fmt.Errorf("waiting for %s: %w", what, err)
	}
	return v, nil
}

// eval evaluates a JavaScript expression, awaiting a promise result.
func eval[T any](ctx context.Context, expression string) (T, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[T](expression, func(p *runtime.EvaluateParams) {
		await := true
		p.AwaitPromise = &await
	}))
}

// until retries check every interval until it reports done, fails, or ctx
// ends. It is for conditions that live outside any page (the browser's target
// list), where an in-page poll is impossible.
func until(ctx context.Context, what string, check func() (bool, error)) error {
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	var last error
	for {
		done, err := check()
		if done {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, errors.Join(ctx.Err(), last))
		case <-tick.C:
		}
	}
}

// jsString quotes s as a JavaScript string literal (JSON is a subset of
// JavaScript, and Go's encoder escapes <, > and U+2028/2029).
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a Go string always encodes
	}
	return string(b)
}
