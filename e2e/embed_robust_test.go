package e2e

// The loader against host pages whose code misbehaves, and what it does
// while the visitor is not looking (issue 4 items 2, 3, 5 and 9): callbacks
// that throw, answers that arrive while the panel is closed, an open
// requested at init, a superseded init's late failure, and an inline chat
// while the on-screen keyboard is up.

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestEmbedThrowingCallbacks: a host's callbacks that throw are logged and
// stop nothing: init resolves, a queued call after it still runs, the panel
// opens and answers, and the state still follows.
func TestEmbedThrowingCallbacks(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/api")
	got, err := eval[string](ctx, `(async () => {
		window.__logged = [];
		const error = console.error;
		console.error = (...args) => { __logged.push(String(args[0] && args[0].message)); error.apply(console, args); };
		const oops = (where) => () => { throw new Error("host bug in " + where); };
		try {
			const c = await Docent.init({
				key: "demo",
				appearance: { position: "middle" }, // invalid: onError is called at once
				onError: oops("onError"),
				onConfigLoaded: oops("onConfigLoaded"),
				onStateChange: oops("onStateChange"),
				onMessage: oops("onMessage"),
			});
			Docent("open"); // as a queued call would be
			return "resolved " + c.key;
		} catch (e) {
			return "rejected: " + e;
		}
	})()`)
	if err != nil || got != "resolved demo" {
		t.Fatalf("init with throwing callbacks: %q (%v)", got, err)
	}
	if err := waitExpanded(ctx, true); err != nil {
		t.Fatalf("open() after a throwing onStateChange: %v", err)
	}
	f := attachKey(t, ctx, b, "demo")
	if status := chatTurn(t, f, embedQuestion); status != "complete" {
		t.Fatalf("answer with throwing callbacks: %s", status)
	}
	if state, err := eval[bool](ctx, `(() => { const s = Docent.getState(); return s.open && s.ready && s.sessionStatus === "open"; })()`); err != nil || !state {
		t.Errorf("getState() after throwing onStateChange calls: %v (%v)", state, err)
	}
	if v := readHost(t, ctx); v.Right != 20 {
		t.Errorf("the invalid position should give way to the default: %+v", v)
	}
	// onMessage throws for the finished reply too, after chatTurn has seen it.
	if _, err := waitFor[bool](ctx, "every thrown error logged", `["onError", "onConfigLoaded", "onStateChange", "onMessage"].every((w) => __logged.includes("host bug in " + w))`); err != nil {
		logged, _ := eval[[]string](ctx, `__logged`)
		t.Errorf("%v: console.error got %q", err, logged)
	}
}

// TestEmbedUnreadWhileClosed: an answer that arrives while the panel is
// closed counts in getState().unread and onStateChange, and puts a dot on
// the launcher, until the visitor opens the chat again.
func TestEmbedUnreadWhileClosed(t *testing.T) {
	docent := startDocent(t, 40*time.Millisecond) // the answer streams for seconds
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/api")
	do(t, ctx, `Docent.init(Object.assign({ key: "demo" }, rec("u")))`)
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	label := readHost(t, ctx).Label
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	f := attachKey(t, ctx, b, "demo")
	waitGreeting(t, f)
	if err := f.send(embedQuestion); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, ctx, "the question accepted", `e.kind === "message" && e.value.role === "user"`)
	do(t, ctx, `Docent.close()`)
	waitEvent(t, ctx, "the answer finished", `e.kind === "message" && e.value.role === "assistant" && e.value.status === "complete"`)
	const dot = `(() => {
		const b = document.getElementById("docent-widget").shadowRoot.querySelector("[data-docent-launcher]");
		const after = getComputedStyle(b, "::after");
		return { unread: Docent.getState().unread, attr: b.hasAttribute("data-unread"), dot: after.content !== "none" && after.width !== "auto" ? after.backgroundColor : "",
			label: b.getAttribute("aria-label") };
	})()`
	type dotView struct {
		Unread int
		Attr   bool
		Dot    string
		Label  string
	}
	// The dot is also heard: the count follows the launcher's name.
	if v, err := eval[dotView](ctx, dot); err != nil || v.Unread != 1 || !v.Attr || v.Dot == "" || v.Label != label+" (1)" {
		t.Errorf("an answer while closed: want unread 1, a dot on the launcher and the name %q, got %+v (%v)", label+" (1)", v, err)
	}
	waitEvent(t, ctx, "onStateChange with unread 1", `e.kind === "state" && !e.value.open && e.value.unread === 1`)
	saveScreenshot(t, ctx, "launcher-unread.png")
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	if v, err := eval[dotView](ctx, dot); err != nil || v.Unread != 0 || v.Attr || v.Dot != "" || strings.Contains(v.Label, "(") {
		t.Errorf("after opening: want unread 0, no dot and no count in the name, got %+v (%v)", v, err)
	}
	// An answer the visitor watches arrive is not unread.
	if status := chatTurn(t, f, "How do I embed the widget inline?"); status != "complete" {
		t.Fatalf("second answer: %s", status)
	}
	do(t, ctx, `Docent.close()`)
	if v, err := eval[dotView](ctx, dot); err != nil || v.Unread != 0 || v.Attr {
		t.Errorf("an answer read while open counted as unread: %+v (%v)", v, err)
	}
}

// TestEmbedOpenOnInitWaitsForIdle: an open requested at init waits until
// the page is idle (PROTOCOL §2), not while the page that asked is still
// running its own scripts: when the config arrives the panel is closed and
// there is no iframe; then it opens, and onStateChange says so.
func TestEmbedOpenOnInitWaitsForIdle(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/api")
	type atConfig struct {
		Open    bool
		Iframes int
	}
	got, err := eval[atConfig](ctx, `new Promise((resolve) => Docent.init(Object.assign(rec("idle"), { key: "demo", openOnInit: true, onConfigLoaded() {
		resolve({ open: Docent.getState().open, iframes: document.getElementById("docent-widget").shadowRoot.querySelectorAll("iframe").length });
	} })))`)
	if err != nil || got.Open || got.Iframes != 0 {
		t.Errorf("as the config arrives: want closed and no iframe yet, got %+v (%v)", got, err)
	}
	waitEvent(t, ctx, "onStateChange open", `e.kind === "state" && e.who === "idle" && e.value.open`)
	f := attachKey(t, ctx, b, "demo")
	waitGreeting(t, f)
	if v := readHost(t, ctx); v.Iframes != 1 || v.Expanded != "true" {
		t.Errorf("once idle: want the open panel, got %+v", v)
	}
}

// TestEmbedSupersededInitReportsNothing: a getAssertion() of a superseded
// init that fails after the page has called init again is not reported to
// the new init's onError (nor to its own: superseded callbacks never fire).
func TestEmbedSupersededInitReportsNothing(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/api")
	do(t, ctx, `(window.__gate = new Promise((open) => (window.__open = open)),
		Docent.init(Object.assign(rec("A"), { key: "demo", getAssertion() {
			window.__asked = true;
			return __gate.then(() => { throw new Error("A's signer failed"); });
		} })), true)`)
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](ctx, "A's getAssertion() to be called", `window.__asked === true`); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, `Docent.init(Object.assign(rec("B"), { key: "demo" }))`)
	waitEvent(t, ctx, "B's onConfigLoaded", `e.kind === "config" && e.who === "B"`)
	// The failure travels by promise jobs only: one task later it has been
	// handled, reported or not.
	do(t, ctx, `(__open(), new Promise((r) => setTimeout(() => r(true), 0)))`)
	for _, e := range embedEvents(t, ctx) {
		if e.Kind == "error" {
			t.Errorf("the superseded init's getAssertion() failure was reported: %+v", e)
		}
	}
}

// TestEmbedInlineIgnoresTheKeyboard: an inline chat is part of the page and
// keeps the size its container gives it when the visual viewport shrinks
// (an on-screen keyboard; here zooming in on a phone); only the full-screen
// panel follows the visual viewport.
func TestEmbedInlineIgnoresTheKeyboard(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/api", phone(phoneH))
	do(t, ctx, `Docent.init(Object.assign(rec("inline"), { key: "demo", mode: "inline", target: "box" }))`)
	f := attachKey(t, ctx, b, "demo")
	waitGreeting(t, f)
	if err := chromedp.Do(ctx, pageScale(1.6)); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](ctx, "the visual viewport to shrink", `visualViewport.height < innerHeight - 1`); err != nil {
		t.Fatal(err)
	}
	settleLayout(t, ctx)
	type view struct {
		KB     bool
		Height float64
	}
	v, err := eval[view](ctx, `(() => { const h = document.getElementById("docent-widget");
		return { kb: h.hasAttribute("data-kb"), height: h.shadowRoot.querySelector("iframe").getBoundingClientRect().height }; })()`)
	if err != nil || v.KB || v.Height < 479.5 || v.Height > 480.5 {
		t.Errorf("an inline chat in a 480 px container, visual viewport shrunk: %+v (%v), want no data-kb and 480 px", v, err)
	}
}
