package e2e

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// requestLog records the URLs a page target requests. Requests of a
// cross-site iframe belong to the iframe's own target and are not seen here,
// which is what the lazy-loading check wants: before the first open there is
// no iframe, so every Docent request comes from the host page.
type requestLog struct {
	mu   sync.Mutex
	urls []string
}

func watchRequests(ctx context.Context) (*requestLog, error) {
	l := &requestLog{}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			l.mu.Lock()
			l.urls = append(l.urls, e.Request.URL)
			l.mu.Unlock()
		}
	})
	return l, err
}

// matching returns the recorded URLs that contain part.
func (l *requestLog) matching(part string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, u := range l.urls {
		if strings.Contains(u, part) {
			out = append(out, u)
		}
	}
	return out
}

func (l *requestLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.urls, "\n")
}

// loadHostPage opens a host page in ctx's tab and waits for its launcher.
func loadHostPage(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open host page: %v", err)
	}
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
}

// waitLauncher waits for the loader's launcher inside its shadow root. A
// closed shadow root is reported as such: the contract asks for an open one.
func waitLauncher(ctx context.Context) error {
	state, err := waitFor[string](ctx, "the launcher in the loader's shadow root", `(() => {
		const host = document.getElementById("docent-widget");
		if (!host) return "";
		if (!host.shadowRoot) return "closed";
		return host.shadowRoot.querySelector("[data-docent-launcher]") ? "ok" : "";
	})()`)
	if err != nil {
		return err
	}
	if state == "closed" {
		return errors.New("#docent-widget has no open shadow root (element.shadowRoot is null): the launcher cannot be reached")
	}
	return nil
}

// launcherState is what the host page shows of the widget.
type launcherState struct {
	Expanded string  `json:"expanded"` // aria-expanded of the launcher
	X        float64 `json:"x"`        // centre of the launcher, viewport pixels
	Y        float64 `json:"y"`
	Width    float64 `json:"width"`
	Height   float64 `json:"height"`
	Display  string  `json:"display"`
	OnTop    bool    `json:"onTop"`     // the launcher is the topmost element at its centre
	Iframes  int     `json:"iframes"`   // iframes inside the shadow root
	FrameSrc string  `json:"frameSrc"`  // src of the first of them
	FrameBox []int   `json:"frameBox"`  // its rendered width and height
	DocFrame int     `json:"docFrames"` // iframes in the host document itself
}

func readLauncher(ctx context.Context) (launcherState, error) {
	return eval[launcherState](ctx, `(() => {
		const host = document.getElementById("docent-widget");
		const root = host.shadowRoot;
		const b = root.querySelector("[data-docent-launcher]");
		const r = b.getBoundingClientRect();
		const x = r.left + r.width / 2, y = r.top + r.height / 2;
		const inner = root.elementFromPoint(x, y);
		const frames = root.querySelectorAll("iframe");
		const f = frames[0];
		const fr = f ? f.getBoundingClientRect() : null;
		return {
			expanded: b.getAttribute("aria-expanded") || "",
			x, y, width: r.width, height: r.height,
			display: getComputedStyle(b).display,
			onTop: document.elementFromPoint(x, y) === host && !!inner && inner.closest("[data-docent-launcher]") === b,
			iframes: frames.length,
			frameSrc: f ? f.src : "",
			frameBox: fr ? [Math.round(fr.width), Math.round(fr.height)] : [],
			docFrames: document.querySelectorAll("iframe").length,
		};
	})()`)
}

// clickLauncher clicks the launcher with a real mouse event at its centre,
// as a visitor would: it fails if anything on the page covers it.
func clickLauncher(ctx context.Context) (launcherState, error) {
	s, err := readLauncher(ctx)
	if err != nil {
		return s, err
	}
	if s.Width == 0 || s.Height == 0 || !s.OnTop {
		return s, fmt.Errorf("launcher not clickable: %+v", s)
	}
	return s, chromedp.Do(ctx, chromedp.MouseClickXY(s.X, s.Y))
}

// waitExpanded waits for the launcher's aria-expanded to become want.
func waitExpanded(ctx context.Context, want bool) error {
	_, err := waitFor[bool](ctx, fmt.Sprintf("aria-expanded=%t", want), fmt.Sprintf(`(() => {
		const b = document.getElementById("docent-widget").shadowRoot.querySelector("[data-docent-launcher]");
		return b.getAttribute("aria-expanded") === %q;
	})()`, fmt.Sprint(want)))
	return err
}

// widgetFrame is the chat frame, a cross-site iframe and so its own target.
type widgetFrame struct {
	ctx    context.Context
	id     target.ID
	cancel context.CancelFunc
}

// attachFrame finds the frame target of channel key (other than the one with
// id old, gone after a reload) and attaches to it, then waits until the
// frame's composer is usable.
func attachFrame(ctx context.Context, b *browser, key string, old target.ID) (*widgetFrame, error) {
	var found target.ID
	err := until(ctx, "the widget frame target", func() (bool, error) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			return false, err
		}
		for _, info := range infos {
			if info.Type == "iframe" && strings.Contains(info.URL, "/widget/"+key+"/frame") && info.TargetID != old {
				found = info.TargetID
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	// Detach on cancel: cancelling must not try to close the iframe.
	fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(found), chromedp.WithDetachOnCancel())
	if err := chromedp.Do(fctx); err != nil {
		cancel()
		return nil, fmt.Errorf("attach to the frame target: %w", err)
	}
	b.recordConsole(fctx, "frame")
	f := &widgetFrame{ctx: fctx, id: found, cancel: cancel}
	if _, err := waitFor[bool](fctx, `#docent-app[data-ready="true"]`,
		`document.querySelector('#docent-app[data-ready="true"]') !== null`); err != nil {
		cancel()
		return nil, err
	}
	return f, nil
}

// bubble is one entry of the transcript as the visitor sees it.
type bubble struct {
	Role    string   `json:"role"`
	Kind    string   `json:"kind"`
	Status  string   `json:"status"`
	Text    string   `json:"text"`
	Sources int      `json:"sources"` // citation links
	Links   []string `json:"links"`   // their URLs
	Divider bool     `json:"divider"` // a "new conversation" divider
	Notice  string   `json:"notice"`  // the code of a notice line
}

func (b bubble) String() string {
	switch {
	case b.Divider:
		return "--- divider ---"
	case b.Notice != "":
		return "notice " + b.Notice + ": " + b.Text
	}
	text := b.Text
	if len(text) > 80 {
		text = text[:80] + "…"
	}
	return fmt.Sprintf("%s/%s/%s (%d sources): %q", b.Role, b.Kind, b.Status, b.Sources, text)
}

func (f *widgetFrame) transcript() ([]bubble, error) {
	return eval[[]bubble](f.ctx, `Array.from(document.querySelectorAll("[data-transcript] > *"))
		.filter((e) => !e.hasAttribute("data-suggestions"))
		.map((e) => ({
			role: e.getAttribute("data-role") || "",
			kind: e.getAttribute("data-kind") || "",
			status: e.getAttribute("data-status") || "",
			text: (e.querySelector("[data-body]") || e).textContent,
			sources: e.querySelectorAll("[data-sources] a[href]").length,
			links: Array.from(e.querySelectorAll("[data-sources] a[href]"), (a) => a.href),
			divider: e.hasAttribute("data-divider"),
			notice: e.getAttribute("data-notice") || "",
		}))`)
}

// send types text into the composer and clicks the send button.
func (f *widgetFrame) send(text string) error {
	return chromedp.Do(f.ctx,
		chromedp.WaitEnabled(chromedp.CSS(`button[type="submit"]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="message"]`), text),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
	)
}

// waitReply waits until the transcript holds more than before assistant
// messages and the newest is no longer streaming, and returns its status.
func (f *widgetFrame) waitReply(before int) (string, error) {
	return waitFor[string](f.ctx, "the assistant reply to finish", fmt.Sprintf(`(() => {
		const all = document.querySelectorAll('[data-transcript] [data-role="assistant"]');
		if (all.length <= %d) return "";
		const s = all[all.length - 1].getAttribute("data-status");
		return s && s !== "streaming" ? s : "";
	})()`, before))
}

// count returns how many bubbles satisfy keep.
func count(list []bubble, keep func(bubble) bool) int {
	n := 0
	for _, b := range list {
		if keep(b) {
			n++
		}
	}
	return n
}

func isGreeting(b bubble) bool  { return b.Role == "assistant" && b.Kind == "greeting" }
func isAssistant(b bubble) bool { return b.Role == "assistant" }

func describe(list []bubble) string {
	var s strings.Builder
	for i, b := range list {
		fmt.Fprintf(&s, "\n  %d. %s", i, b)
	}
	return s.String()
}
