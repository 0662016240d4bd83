package e2e

// The JS API of the loader (issue 4 item 2, PROTOCOL §2): the queue stub
// with several inits, overlapping inits, destroy and a clean re-init, and
// the callbacks. The host page (testdata/embed/api.html, queue3.html)
// records every callback in window.__e2e.events with the init it came from.

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/domdebugger"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// TestEmbedQueueStubThreeInits: three inits queued before the script loads
// (the first asking to open at once, the second for the left side): only
// the third applies, and only its callbacks ever fire.
func TestEmbedQueueStubThreeInits(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/queue3")
	waitEvent(t, ctx, "the third init's onConfigLoaded", `e.kind === "config" && e.who === "third"`)
	if v := readHost(t, ctx); v.Hosts != 1 || v.Right != 20 || v.Expanded != "false" || v.Iframes != 0 {
		t.Errorf("want only the third init applied (closed, bottom-right), got %+v", v)
	}
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	f := attachKey(t, ctx, b, "demo")
	waitEvent(t, ctx, "the third init's onStateChange ready", `e.kind === "state" && e.who === "third" && e.value.ready`)
	if got := frameText(t, f, "[data-title]"); got != "Third" {
		t.Errorf("frame title %q, want Third", got)
	}
	for _, e := range embedEvents(t, ctx) {
		if e.Who != "third" {
			t.Errorf("a superseded queued init's callback fired: %v", e)
		}
	}
}

// TestEmbedOverlappingInits: an init whose config.json is slow is overtaken
// by a second init; when the first finally gets its config it resolves, but
// changes nothing and fires none of its callbacks.
func TestEmbedOverlappingInits(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	gate := make(chan struct{})
	site.handle("GET /configs/slow.json", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
		writeJSONBody(w, map[string]any{"key": "demo", "title": "Slow", "position": "bottom-left"})
	})
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/api")
	do(t, ctx, `(() => {
		const mark = (who, kind) => () => __e2e.events.push({ kind, who });
		Docent.init(Object.assign({ key: "demo", configUrl: "/configs/slow.json", openOnInit: true }, rec("old")))
			.then(mark("old", "resolved"), mark("old", "rejected"));
		Docent.init(Object.assign({ key: "demo", appearance: { title: "New" } }, rec("new")))
			.then(mark("new", "resolved"), mark("new", "rejected"));
	})()`)
	waitEvent(t, ctx, "the second init resolving", `e.kind === "resolved" && e.who === "new"`)
	close(gate)
	waitEvent(t, ctx, "the first init resolving late", `e.kind === "resolved" && e.who === "old"`)
	if v := readHost(t, ctx); v.Hosts != 1 || v.Right != 20 || v.Expanded != "false" || v.Iframes != 0 {
		t.Errorf("the stale init changed the widget: %+v", v)
	}
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	f := attachKey(t, ctx, b, "demo")
	if got := frameText(t, f, "[data-title]"); got != "New" {
		t.Errorf("frame title %q, want New", got)
	}
	waitEvent(t, ctx, "the second init's onStateChange", `e.kind === "state" && e.who === "new" && e.value.ready`)
	for _, e := range embedEvents(t, ctx) {
		if e.Who == "old" && e.Kind != "resolved" {
			t.Errorf("the stale init fired a callback: %v", e)
		}
	}
}

// TestEmbedDestroyAndReinit: destroy() removes the host element, the iframe
// (its frame target goes away) and the message listener, leaves no global
// but Docent, and later calls do nothing (no request, no element, no
// callback of the destroyed init); a later init starts clean.
func TestEmbedDestroyAndReinit(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/api")
	before := listeners(t, ctx, "window")
	beforeVV := listeners(t, ctx, "visualViewport")
	do(t, ctx, `Docent.init(Object.assign({ key: "demo" }, rec("first")))`)
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	f := attachKey(t, ctx, b, "demo")
	if status := chatTurn(t, f, embedQuestion); status != "complete" {
		t.Fatalf("answer before destroy: %s", status)
	}
	if got := listeners(t, ctx, "window"); got["message"] != before["message"]+1 {
		t.Errorf("message listeners while running: %d, want %d", got["message"], before["message"]+1)
	}
	// The open half follows the on-screen keyboard while the panel exists.
	if got := listeners(t, ctx, "visualViewport"); got["resize"] != beforeVV["resize"]+1 || got["scroll"] != beforeVV["scroll"]+1 {
		t.Errorf("visualViewport listeners while running: %v, want one resize and one scroll more than %v", got, beforeVV)
	}

	requests, err := watchRequests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, `Docent.destroy()`)
	if err := until(ctx, "the frame target to go away", func() (bool, error) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			return false, err
		}
		return !slices.ContainsFunc(infos, func(i *target.Info) bool { return strings.Contains(i.URL, "/widget/demo/frame") }), nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := listeners(t, ctx, "window"); got["message"] != before["message"] {
		t.Errorf("message listeners after destroy: %d, want %d as before init", got["message"], before["message"])
	}
	if got := listeners(t, ctx, "visualViewport"); got["resize"] != beforeVV["resize"] || got["scroll"] != beforeVV["scroll"] {
		t.Errorf("visualViewport listeners after destroy: %v, want %v as before init", got, beforeVV)
	}
	if state, err := eval[string](ctx, `JSON.stringify(Docent.getState())`); err != nil ||
		state != `{"open":false,"ready":false,"identity":"anonymous","sessionStatus":null,"unread":0}` {
		t.Errorf("getState() after destroy: %s (%v), want the state of a page that never ran init", state, err)
	}
	leftovers, err := eval[[]string](ctx, `(() => {
		const out = [];
		if (document.getElementById("docent-widget")) out.push("#docent-widget");
		if (document.querySelectorAll("iframe").length) out.push("iframe");
		for (const k of Object.keys(window)) if (!__e2eBaseline.includes(k) && !["Docent", "__e2e", "__e2eBaseline", "rec"].includes(k)) out.push("global " + k);
		return out;
	})()`)
	if err != nil || len(leftovers) > 0 {
		t.Errorf("after destroy: %v (%v)", leftovers, err)
	}
	n := len(embedEvents(t, ctx))
	do(t, ctx, `Docent.open(); Docent.toggle(); Docent.close(); Docent.logoutUser()`)
	if v := readHost(t, ctx); v.Hosts != 0 {
		t.Errorf("API calls after destroy brought the widget back: %+v", v)
	}
	if r := requests.matching(docent.URL); len(r) > 0 {
		t.Errorf("requests to Docent after destroy: %v", r)
	}
	if ev := embedEvents(t, ctx); len(ev) != n {
		t.Errorf("callbacks of the destroyed init fired: %v", ev[n:])
	}

	// A later init starts clean: closed, one widget, its own callbacks only.
	do(t, ctx, `Docent.init(Object.assign({ key: "demo", appearance: { title: "Again" } }, rec("second")))`)
	waitEvent(t, ctx, "the re-init's onConfigLoaded", `e.kind === "config" && e.who === "second"`)
	if v := readHost(t, ctx); v.Hosts != 1 || v.Iframes != 0 || v.Expanded != "false" {
		t.Errorf("re-init: %+v", v)
	}
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	f2 := attachKey(t, ctx, b, "demo")
	if _, err := waitFor[bool](f2.ctx, "title Again", `document.querySelector("[data-title]").textContent.trim() === "Again"`); err != nil {
		t.Error(err)
	}
	waitEvent(t, ctx, "the re-init's state", `e.kind === "state" && e.who === "second" && e.value.ready`)
	if status := chatTurn(t, f2, embedQuestion); status != "complete" {
		t.Errorf("answer after re-init: %s", status)
	}
	for _, e := range embedEvents(t, ctx)[n:] {
		if e.Who != "second" {
			t.Errorf("after re-init a callback of the destroyed init fired: %v", e)
		}
	}
}

// TestEmbedCallbacks: onStateChange follows open, ready and close;
// onMessage reports the visitor's message and the finished reply (one
// message each, no transcript); getState() agrees with the last snapshot.
func TestEmbedCallbacks(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/api")
	do(t, ctx, `Docent.init(Object.assign({ key: "demo" }, rec("cb")))`)
	waitEvent(t, ctx, "onConfigLoaded", `e.kind === "config" && e.value.key === "demo"`)
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, ctx, "onStateChange open", `e.kind === "state" && e.value.open && !e.value.ready`)
	f := attachKey(t, ctx, b, "demo")
	waitEvent(t, ctx, "onStateChange ready", `e.kind === "state" && e.value.open && e.value.ready && e.value.sessionStatus === "open"`)
	if status := chatTurn(t, f, embedQuestion); status != "complete" {
		t.Fatalf("answer: %s", status)
	}
	waitEvent(t, ctx, "onMessage for the visitor's message", `e.kind === "message" && e.value.role === "user" && e.value.text === `+jsString(embedQuestion))
	waitEvent(t, ctx, "onMessage for the finished reply", `e.kind === "message" && e.value.role === "assistant" && e.value.status === "complete" && e.value.text.length > 20`)
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, ctx, "onStateChange closed", `e.kind === "state" && !e.value.open`)
	var last json.RawMessage
	for _, e := range embedEvents(t, ctx) {
		switch e.Kind {
		case "state":
			last = e.Value
		case "message":
			var m map[string]any
			_ = json.Unmarshal(e.Value, &m)
			for k := range m {
				if !slices.Contains([]string{"id", "role", "kind", "status", "text"}, k) {
					t.Errorf("onMessage carries %q: %s", k, e.Value)
				}
			}
		case "warn", "error":
			t.Errorf("unexpected %v", e)
		}
	}
	state, err := eval[json.RawMessage](ctx, `Docent.getState()`)
	if err != nil || string(state) != string(last) {
		t.Errorf("getState() = %s, last onStateChange = %s (%v)", state, last, err)
	}
}

// listeners counts the event listeners on an object of the host page (the
// value of expression) by type, as DevTools sees them.
func listeners(t *testing.T, ctx context.Context, expression string) map[string]int {
	t.Helper()
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expression})
	if err != nil || res.Result == nil {
		t.Fatalf("%s: %v", expression, err)
	}
	ls, err := chromedp.Call(ctx, domdebugger.GetEventListeners, domdebugger.GetEventListenersParams{ObjectID: res.Result.ObjectID})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, l := range ls.Listeners {
		out[l.Type]++
	}
	return out
}

// TestEmbedSlowAssertionFetchedOnce: the frame repeats chat-embed-ready
// until the loader answers; when the host's getAssertion takes longer than
// those repeats, the loader still fetches exactly one assertion (they are
// single use, and each costs the host's backend a signature).
func TestEmbedSlowAssertionFetchedOnce(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/api")
	do(t, ctx, `(() => {
		__e2e.assertions = 0;
		const getAssertion = () => { __e2e.assertions++; return new Promise((r) => setTimeout(() => r("not-an-assertion"), 600)); };
		Docent.init(Object.assign({ key: "demo", openOnInit: true, getAssertion }, rec("slow")));
	})()`)
	f := attachKey(t, ctx, b, "demo")
	waitGreeting(t, f)
	waitEvent(t, ctx, "onStateChange ready", `e.kind === "state" && e.who === "slow" && e.value.ready`)
	if n, err := eval[int](ctx, `__e2e.assertions`); err != nil || n != 1 {
		t.Errorf("getAssertion ran %d times for one handshake, want 1 (%v)", n, err)
	}
}
