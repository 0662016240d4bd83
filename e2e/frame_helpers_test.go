package e2e

// Helpers of the frame tests (frame_*_test.go): host pages that embed
// Docent's frame directly with their own handshake script (PROTOCOL §3,
// seed 000), served from their own origin; attaching to a frame document by
// its URL; reading what the host page received; and a spy on everything the
// frame posts to its parent (PM-07).

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

var framePages = template.Must(template.ParseGlob("testdata/frame/*.html"))

// frameSite is a customer's site on its own origin (http://localhost:PORT)
// serving testdata/frame/NAME.html at /NAME?key=KEY, with the Docent origin
// (set once Docent runs: its channels must know the site's origin first) and
// the channel key as template data.
type frameSite struct {
	Origin string
	docent atomic.Value // string
}

func (s *frameSite) setDocent(url string) { s.docent.Store(url) }

func startFrameSite(t *testing.T) *frameSite {
	t.Helper()
	site := &frameSite{}
	site.Origin = serveOtherSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		p := framePages.Lookup(strings.TrimPrefix(r.URL.Path, "/") + ".html")
		if p == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := p.Execute(w, map[string]any{"Docent": site.docent.Load(), "Key": r.URL.Query().Get("key")}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	return site
}

// frameAck is a chat-embed-ack as the host page received it.
type frameAck struct {
	Origin      string  `json:"origin"`
	At          float64 `json:"at"`
	OK          bool    `json:"ok"`
	SessionMode string  `json:"session_mode"`
	Identity    string  `json:"identity"`
	Error       string  `json:"error"`
	Nonce       string  `json:"nonce"`
}

func hostAcks(ctx context.Context) ([]frameAck, error) {
	return eval[[]frameAck](ctx, `window.__e2e.acks`)
}

// waitFrameAcks waits until the host page holds at least n acks.
func waitFrameAcks(ctx context.Context, n int) ([]frameAck, error) {
	if _, err := waitFor[bool](ctx, fmt.Sprintf("%d chat-embed-ack(s)", n), fmt.Sprintf(`window.__e2e.acks.length >= %d`, n)); err != nil {
		got, _ := hostAcks(ctx)
		return got, fmt.Errorf("%w; acks so far: %+v", err, got)
	}
	return hostAcks(ctx)
}

// attachFrameURL attaches to the frame document whose URL contains part (a
// unique query parameter per load: a frame navigated in place may keep its
// DevTools target), instruments its requests, and waits until it is ready.
func attachFrameURL(t *testing.T, ctx context.Context, b *browser, part string) *widgetFrame {
	t.Helper()
	var found target.ID
	err := until(ctx, "a frame at "+part, func() (bool, error) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			return false, err
		}
		for _, info := range infos {
			if info.Type == "iframe" && strings.Contains(info.URL, part) {
				found = info.TargetID
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(found), chromedp.WithDetachOnCancel())
	t.Cleanup(cancel)
	if err := chromedp.Do(fctx); err != nil {
		t.Fatalf("attach to the frame at %s: %v", part, err)
	}
	b.recordConsole(fctx, "frame")
	f := &widgetFrame{ctx: fctx, id: found, cancel: cancel}
	if _, err := waitFor[bool](fctx, "the frame at "+part+" is the new document", fmt.Sprintf(`location.search.includes(%q)`, part)); err != nil {
		t.Fatal(err)
	}
	if _, err := eval[bool](fctx, instrumentFrameJS); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](fctx, `#docent-app[data-ready="true"]`, `document.querySelector('#docent-app[data-ready="true"]') !== null`); err != nil {
		t.Fatal(err)
	}
	return f
}

var nonceRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

// metricValue reads one sample of Docent's /metrics (0 when absent).
func metricValue(t *testing.T, docentURL, sample string) float64 {
	t.Helper()
	res, err := http.Get(docentURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if rest, ok := strings.CutPrefix(line, sample+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil {
				t.Fatalf("metric %s: %v", sample, err)
			}
			return v
		}
	}
	return 0
}

// waitMetric polls /metrics until sample reaches at least want.
func waitMetric(t *testing.T, ctx context.Context, docentURL, sample string, want float64) {
	t.Helper()
	if err := until(ctx, fmt.Sprintf("%s ≥ %v", sample, want), func() (bool, error) {
		return metricValue(t, docentURL, sample) >= want, nil
	}); err != nil {
		t.Fatal(err)
	}
}

// spyParentJS runs in the frame before its own script (added with
// Page.addScriptToEvaluateOnNewDocument): window.parent is a [Replaceable]
// attribute, so it is replaced by a proxy whose postMessage records every
// message and its targetOrigin (window.__pm) before passing it on, and
// MessageEvent.source answers that proxy for the real parent, so the
// frame's own "is it my parent?" checks see what they always see.
const spyParentJS = `(() => {
	const real = window.parent;
	if (real === window) return;
	const calls = (window.__pm = []);
	const proxy = new Proxy(real, { get(t, k) {
		if (k === "postMessage") return (m, o) => { calls.push({ target: String(o), type: m && m.type, json: JSON.stringify(m) }); real.postMessage(m, o); };
		return Reflect.get(t, k);
	} });
	Object.defineProperty(window, "parent", { value: proxy, configurable: true });
	const d = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "source");
	Object.defineProperty(MessageEvent.prototype, "source", { configurable: true, get() { const s = d.get.call(this); return s === real ? proxy : s; } });
})()`

// spyOnParent installs spyParentJS for the next documents of frame f.
func spyOnParent(f *widgetFrame) error {
	return chromedp.Do(f.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: spyParentJS})
		return err
	}))
}

// postedCall is one message the spied frame posted to its parent.
type postedCall struct {
	Target string `json:"target"`
	Type   string `json:"type"`
	JSON   string `json:"json"`
}
