package e2e

// Keyboard-only use (issue 4 item 7, WCAG 2.1.1, 2.4.3, 2.4.7): every key
// goes to the host page's target, as a keyboard does; the browser routes it
// to whichever document has focus, the cross-site widget frame included.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// launcherFocusJS tells whether the launcher has focus, and whether that
// focus is visible (:focus-visible with an outline or a focus ring).
const launcherFocusJS = `(() => {
	const host = document.getElementById("docent-widget");
	const b = host && host.shadowRoot.querySelector("[data-docent-launcher]");
	if (!b || document.activeElement !== host || host.shadowRoot.activeElement !== b) return "";
	const s = getComputedStyle(b);
	const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
	return b.matches(":focus-visible") && ring ? "visible" : "invisible";
})()`

// TestA11yKeyboardOnlyFlow: Tab reaches the labelled launcher with a visible
// focus ring; Enter opens the dialog and focus lands in the composer inside
// the frame; typing and Enter send; the answer arrives; Escape closes and
// focus returns to the launcher; aria-expanded follows throughout. Then the
// same once more, to show that reopening also moves focus in.
func TestA11yKeyboardOnlyFlow(t *testing.T) {
	docent := startDocent(t, 0)
	site := startQualitySite(t, docent.URL)
	b := newBrowser(t)
	ctx := openPage(t, b, site.Origin+"/launcher")
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}

	label, err := eval[string](ctx, `(() => { const b = document.getElementById("docent-widget").shadowRoot.querySelector("[data-docent-launcher]");
		return b.tagName === "BUTTON" ? (b.getAttribute("aria-label") || b.textContent).trim() : ""; })()`)
	if err != nil || label == "" {
		t.Errorf("the launcher must be a <button> with an accessible name, got %q (%v)", label, err)
	}
	tabToLauncher(t, ctx)

	var frame *widgetFrame
	for round := 1; round <= 2; round++ {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if err := waitExpanded(ctx, true); err != nil {
			t.Fatalf("round %d: Enter on the launcher: %v", round, err)
		}
		if frame == nil {
			if frame, err = attachFrame(ctx, b, "demo", ""); err != nil {
				t.Fatal(err)
			}
			defer frame.cancel()
			checkDialog(t, ctx, frame)
		}
		fctx, cancel := context.WithTimeout(frame.ctx, 10*time.Second)
		_, err = waitFor[bool](fctx, "focus in the composer", `document.hasFocus() && document.activeElement === document.querySelector('textarea[name="message"]')`)
		cancel()
		if err != nil {
			active, _ := eval[string](frame.ctx, `document.hasFocus() + " " + (document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : "none")`)
			t.Fatalf("round %d: %v (frame focus: %s)", round, err, active)
		}

		question := fmt.Sprintf("How do I embed the widget on my site? (keyboard round %d)", round)
		before := count(mustTranscript(t, frame), isAssistant)
		if err := chromedp.Do(ctx, chromedp.KeyEvent(question), chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		status, err := frame.waitReply(before)
		if err != nil {
			t.Fatalf("round %d: %v; transcript:%s", round, err, describe(mustTranscript(t, frame)))
		}
		list := mustTranscript(t, frame)
		if status != "complete" || !mentions(list, question) {
			t.Errorf("round %d: want the typed question sent and a complete answer, got %s:%s", round, status, describe(list))
		}
		if v, _ := eval[string](frame.ctx, `document.querySelector('textarea[name="message"]').value`); v != "" {
			t.Errorf("round %d: the composer still holds %q after sending", round, v)
		}

		if round == 1 {
			frameFocusRing(t, ctx, frame)
		}

		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
			t.Fatal(err)
		}
		if err := waitExpanded(ctx, false); err != nil {
			t.Fatalf("round %d: Escape in the frame: %v", round, err)
		}
		if focus, err := waitFor[string](ctx, "focus back on the launcher", launcherFocusJS); err != nil || focus != "visible" {
			t.Errorf("round %d: after Escape want a visible focus on the launcher, got %q (%v)", round, focus, err)
		}
	}
}

// tabToLauncher presses Tab until the launcher has focus (the page has two
// links before it), and checks the focus is visible.
func tabToLauncher(t *testing.T, ctx context.Context) {
	t.Helper()
	for i := 0; i < 8; i++ {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		focus, err := eval[string](ctx, launcherFocusJS)
		if err != nil {
			t.Fatal(err)
		}
		switch focus {
		case "visible":
			return
		case "invisible":
			t.Errorf("the launcher has focus after %d Tabs but no visible focus indicator", i+1)
			return
		}
	}
	active, _ := eval[string](ctx, `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : "none"`)
	t.Fatalf("8 Tabs never reached the launcher; focus is on %s", active)
}

// checkDialog: the open panel is exposed as a dialog with a name, on the
// loader's panel element or on the frame's app root.
func checkDialog(t *testing.T, ctx context.Context, frame *widgetFrame) {
	t.Helper()
	const roleJS = `((e) => e ? (e.getAttribute("role") || "") + "|" + (e.getAttribute("aria-label") || e.getAttribute("aria-labelledby") || "") : "")`
	host, err := eval[string](ctx, roleJS+`(document.getElementById("docent-widget").shadowRoot.querySelector('[role="dialog"]'))`)
	if err != nil {
		t.Fatal(err)
	}
	inner, err := eval[string](frame.ctx, roleJS+`(document.querySelector('[role="dialog"]'))`)
	if err != nil {
		t.Fatal(err)
	}
	named := func(s string) bool { return strings.HasPrefix(s, "dialog|") && len(s) > len("dialog|") }
	if !named(host) && !named(inner) {
		t.Errorf(`the open panel is not a named dialog: role/label on the loader's panel %q, in the frame %q`, host, inner)
	}
}

// frameFocusRing walks back from the composer with Shift+Tab through every
// stop of the frame (header controls, transcript, code blocks, source links)
// until focus leaves it, checking each focused control shows a focus
// indicator, then walks forward again to the composer.
func frameFocusRing(t *testing.T, ctx context.Context, frame *widgetFrame) {
	t.Helper()
	const focusedJS = `(() => {
		const e = document.activeElement;
		if (!document.hasFocus() || !e || e === document.body) return null;
		const s = getComputedStyle(e);
		return { what: e.tagName.toLowerCase() + (e.getAttribute("data-action") ? "[" + e.getAttribute("data-action") + "]" : "") + (e.name ? "[" + e.name + "]" : "") +
				(e.tagName === "A" || e.tagName === "PRE" ? "(" + e.textContent.slice(0, 24) + ")" : ""),
			visible: e.matches(":focus-visible") && ((s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none") };
	})()`
	type focused struct {
		What    string `json:"what"`
		Visible bool   `json:"visible"`
	}
	shiftTab := chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	var stops []string
	steps := 0
	for steps < 40 {
		if err := chromedp.Do(ctx, shiftTab); err != nil {
			t.Fatal(err)
		}
		steps++
		f, err := eval[*focused](frame.ctx, focusedJS)
		if err != nil {
			t.Fatal(err)
		}
		if f == nil {
			break // before the frame's first stop: the host page
		}
		stops = append(stops, f.What)
		if !f.Visible {
			t.Errorf("Tab stop %s in the frame has no visible focus indicator", f.What)
		}
	}
	t.Logf("Tab stops in the frame before the composer: %v", stops)
	if len(stops) < 3 {
		t.Errorf("want the header controls and the transcript reachable with Shift+Tab, got %v", stops)
	}
	// Forward again: entering the frame from the page may take a step
	// more than leaving it did (the iframe element itself).
	var f *focused
	for i := 0; i < steps+2; i++ {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		var err error
		if f, err = eval[*focused](frame.ctx, focusedJS); err != nil {
			t.Fatal(err)
		}
		if f != nil && f.What == "textarea[message]" {
			return
		}
	}
	t.Errorf("Tab forward from the page never reached the composer again; focus on %+v", f)
}

// TestA11yOpenOnLoadKeepsFocus: a page that opens the chat as it loads
// (data-open) keeps the visitor's focus where the page put it (here an
// autofocus search box): the frame does not take it when its handshake
// completes. Once the visitor closes and reopens the panel themselves,
// focus moves into the composer as usual.
func TestA11yOpenOnLoadKeepsFocus(t *testing.T) {
	docent := startDocent(t, 0)
	site := startQualitySite(t, docent.URL)
	b := newBrowser(t)
	// The host counts the frame's acks: the frame decides about focus in
	// the task that posts one.
	ctx := openPage(t, b, site.Origin+"/launcher?open=true", addScriptOnNewDocument(
		`addEventListener("message", (e) => { if (e.data && e.data.type === "chat-embed-ack") window.__acks = (window.__acks || 0) + 1; });`))
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	if err := waitExpanded(ctx, true); err != nil {
		t.Fatal(err)
	}
	frame, err := attachFrame(ctx, b, "demo", "")
	if err != nil {
		t.Fatal(err)
	}
	defer frame.cancel()
	if _, err := waitFor[bool](ctx, "the frame's ack", `window.__acks >= 1`); err != nil {
		t.Fatal(err)
	}
	if inFrame, err := eval[string](frame.ctx, `document.hasFocus() + " " + (document.activeElement ? document.activeElement.tagName : "none")`); err != nil || inFrame != "false BODY" {
		t.Errorf("a panel opened on load took focus: frame focus %q (%v)", inFrame, err)
	}
	if host, err := eval[string](ctx, `document.activeElement ? document.activeElement.id : ""`); err != nil || host != "search" {
		t.Errorf("focus left the host's search box for %q (%v)", host, err)
	}

	// The visitor closes and reopens it: now focus goes in.
	for _, open := range []bool{false, true} {
		if _, err := clickLauncher(ctx); err != nil {
			t.Fatal(err)
		}
		if err := waitExpanded(ctx, open); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := waitFor[bool](frame.ctx, "focus in the composer", `document.hasFocus() && document.activeElement === document.querySelector('textarea[name="message"]')`); err != nil {
		t.Error(err)
	}
}

// TestA11yFocusStaysInComposer (WCAG 2.4.3): sending removes or disables
// what a keyboard user may have pressed — a suggested question, the send
// button — and focus then goes to the composer instead of falling to the
// page, so the next question can be typed at once.
func TestA11yFocusStaysInComposer(t *testing.T) {
	docent := startDocent(t, 0)
	site := startQualitySite(t, docent.URL)
	b := newBrowser(t)
	ctx := openPage(t, b, site.Origin+"/launcher")
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	tabToLauncher(t, ctx)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	frame, err := attachFrame(ctx, b, "demo", "")
	if err != nil {
		t.Fatal(err)
	}
	defer frame.cancel()
	const inComposer = `document.hasFocus() && document.activeElement === document.querySelector('textarea[name="message"]')`
	if _, err := waitFor[bool](frame.ctx, "focus in the composer", inComposer); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, focus, typed string }{
		{"a suggested question", `document.querySelector("[data-suggestions] button")`, ""},
		{"the send button", `document.querySelector('button[type="submit"]')`, "Where is my data stored? (send button)"},
	} {
		if tc.typed != "" {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(tc.typed)); err != nil {
				t.Fatal(err)
			}
		}
		if ok, err := eval[bool](frame.ctx, `(() => { const e = `+tc.focus+`; if (!e) return false; e.focus(); return document.activeElement === e; })()`); err != nil || !ok {
			t.Fatalf("%s: could not focus it (%v)", tc.name, err)
		}
		before := count(mustTranscript(t, frame), isAssistant)
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if status, err := frame.waitReply(before); err != nil || status != "complete" {
			t.Fatalf("%s: reply %q (%v)", tc.name, status, err)
		}
		if _, err := waitFor[bool](frame.ctx, "focus back in the composer after "+tc.name, inComposer); err != nil {
			active, _ := eval[string](frame.ctx, `document.hasFocus() + " " + (document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : "none")`)
			t.Fatalf("%s: %v (frame focus: %s)", tc.name, err, active)
		}
	}
}
