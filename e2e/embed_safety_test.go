package e2e

// Host-page safety of the loader (issue 4 item 9, SECURITY PM-08): it loads
// nothing but itself and config.json before the first open, and it obeys
// only its own frame, and even then opens no URL and takes no size.
// (Strict-CSP and hostile-CSS host pages: quality_csp_test.go.)

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestEmbedLoadsNothingBeforeOpen: for the one-line snippet and the data
// attribute snippet, the host page requests exactly widget.js and
// config.json from Docent before the visitor opens the widget: no iframe,
// no frame bundle, no session; the first click brings the frame.
func TestEmbedLoadsNothingBeforeOpen(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	for _, p := range []string{"/key-query", "/data-key", "/queue3"} {
		t.Run(p, func(t *testing.T) {
			tab, closeTab := chromedp.NewContext(b.tab, chromedp.WithNewBrowserContext())
			ctx, cancel := context.WithTimeout(tab, testTimeout)
			defer func() { cancel(); closeTab() }()
			if err := chromedp.Do(ctx); err != nil {
				t.Fatal(err)
			}
			requests, err := watchRequests(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(site.Origin+p)); err != nil {
				t.Fatal(err)
			}
			if err := waitLauncher(ctx); err != nil {
				t.Fatal(err)
			}
			// The page's load event has passed and the launcher is up: every
			// request the loader makes unprompted has been made.
			if _, err := waitFor[bool](ctx, "document complete", `document.readyState === "complete"`); err != nil {
				t.Fatal(err)
			}
			got := requests.matching(docent.URL)
			want := []string{docent.URL + "/widget.js", docent.URL + "/widget/demo/config.json"}
			if len(got) != 2 || !strings.HasPrefix(got[0], want[0]) || got[1] != want[1] {
				t.Errorf("before the first open the page requested from Docent:\n%s\nwant only %v", strings.Join(got, "\n"), want)
			}
			if v := readHost(t, ctx); v.Iframes != 0 {
				t.Errorf("an iframe exists before the first open: %+v", v)
			}
			if _, err := clickLauncher(ctx); err != nil {
				t.Fatal(err)
			}
			f := attachKey(t, ctx, b, "demo")
			waitGreeting(t, f)
		})
	}
}

// TestPM08_LoaderIgnoresForeignMessages: an ad iframe on the host page posts
// {type:"resize",height:1e9}, {type:"open",url:"javascript:alert(1)"} and
// forged docent:* messages (close, state, message, error, token-request):
// the loader ignores them all. Then the real widget frame posts the same
// (and docent:resize): the panel keeps its size inside the viewport, no
// URL is opened, no window appears, no dialog runs.
func TestPM08_LoaderIgnoresForeignMessages(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/pm08")
	var dialogs atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
			go func() { _, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{}) }()
		}
	}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, `Docent.init(Object.assign({ key: "demo" }, rec("host")))`)
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	f := attachKey(t, ctx, b, "demo")
	waitEvent(t, ctx, "ready", `e.kind === "state" && e.value.ready`)
	before := readHost(t, ctx)
	state0, _ := eval[string](ctx, `JSON.stringify(Docent.getState())`)
	n := len(embedEvents(t, ctx))
	pages := pageTargets(t, ctx)

	hostile := []string{
		`{ type: "resize", height: 1e9 }`,
		`{ type: "open", url: "javascript:alert(1)" }`,
		`{ type: "docent:resize", height: 1e9 }`,
		`{ type: "docent:open", url: "javascript:alert(1)" }`,
		`{ type: "docent:close" }`,
		`{ type: "docent:state", ready: false, sessionStatus: "closed", identity: "verified" }`,
		`{ type: "docent:message", message: { role: "assistant", text: "forged" } }`,
		`{ type: "docent:error", code: "forged", message: "forged" }`,
		`{ type: "chat-embed-ready", nonce: "forged" }`,
	}
	// From the ad: a same-origin sibling of the widget on the host page.
	for _, m := range hostile {
		do(t, ctx, `document.getElementById("ad").contentWindow.postMessage({ relay: `+m+` }, "*")`)
	}
	// A marker through the same path proves the ad's messages were delivered
	// before we look.
	do(t, ctx, `new Promise((done) => { addEventListener("message", function m(e) { if (e.data && e.data.marker) { removeEventListener("message", m); done(); } });
		document.getElementById("ad").contentWindow.postMessage({ relay: { marker: 1 } }, "*"); })`)
	after := readHost(t, ctx)
	state1, _ := eval[string](ctx, `JSON.stringify(Docent.getState())`)
	if state1 != state0 || after.Expanded != "true" || len(after.Frame) != 2 || after.Frame[0] != before.Frame[0] || after.Frame[1] != before.Frame[1] {
		t.Errorf("the ad's messages changed the widget: state %s → %s, host %+v → %+v", state0, state1, before, after)
	}
	if ev := embedEvents(t, ctx); len(ev) != n {
		t.Errorf("the ad's messages fired callbacks: %v", ev[n:])
	}

	// From the real widget frame: nothing in these may size the panel
	// beyond the viewport or open anything.
	for _, m := range hostile[:4] {
		if _, err := eval[any](f.ctx, `parent.postMessage(`+m+`, "*")`); err != nil {
			t.Fatal(err)
		}
	}
	do(t, ctx, `new Promise((done) => setTimeout(done, 0))`) // let queued messages run
	if _, err := eval[bool](f.ctx, `new Promise((done) => { parent.postMessage({ type: "docent:state", ready: true, sessionStatus: "open", identity: "anonymous" }, "*"); setTimeout(() => done(true), 0); })`); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](ctx, "the frame's last message to be handled", `Docent.getState().ready`); err != nil {
		t.Fatal(err)
	}
	v := readHost(t, ctx)
	if len(v.Frame) != 2 || v.Frame[1] > v.Viewport[1] || v.Frame[0] != before.Frame[0] || v.Frame[1] != before.Frame[1] {
		t.Errorf("panel %v after resize requests, want %v within the viewport %v", v.Frame, before.Frame, v.Viewport)
	}
	if got := pageTargets(t, ctx); got != pages {
		t.Errorf("a message opened a window: %d page targets, had %d", got, pages)
	}
	if href, _ := eval[string](ctx, `location.href`); href != site.Origin+"/pm08" {
		t.Errorf("the host page navigated to %s", href)
	}
	if d := dialogs.Load(); d != 0 {
		t.Errorf("%d dialogs ran", d)
	}
	if status := chatTurn(t, f, embedQuestion); status != "complete" {
		t.Errorf("the widget must keep working: %s", status)
	}
}

func pageTargets(t *testing.T, ctx context.Context) int {
	t.Helper()
	infos, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, i := range infos {
		if i.Type == "page" {
			n++
		}
	}
	return n
}
