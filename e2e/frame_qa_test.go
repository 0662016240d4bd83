package e2e

// The test persona's QA surface, languages and RTL, and the frame's own
// accessibility contract (dialog, Escape, sentence announcements), with a
// host page that drives the handshake itself.

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestTestPersonaQASurface: on a test-persona channel the frame shows the
// QA panel with the handshake timing and events, the identity, the language
// decision and, after a reply, provider/model, passages with scores, tokens
// and latencies. A public channel's frame has no such panel.
func TestTestPersonaQASurface(t *testing.T) {
	h, _ := openPersonaHost(t)
	marker := h.load("qa", "", map[string]any{"mode": "test", "user_id": "qa-5", "locale": "fr"})
	frame := attachFrameURL(t, h.ctx, h.b, marker)
	if _, err := waitFor[bool](frame.ctx, "the QA panel", `!!document.querySelector("details[data-qa] [data-qa-handshake]") &&
		/\d+ ms/.test(document.querySelector("[data-qa-handshake]").textContent)`); err != nil {
		t.Fatal(err)
	}
	if s := chatTurn(t, frame, "How do I embed the widget?"); s != "complete" {
		t.Fatalf("reply ended %q", s)
	}
	got, err := eval[map[string]string](frame.ctx, `(() => {
		const q = (s) => document.querySelector("[data-qa-" + s + "]").textContent;
		return { identity: q("identity"), language: q("language"), provider: q("provider"), tokens: q("tokens"), latency: q("latency"),
			events: Array.from(document.querySelectorAll("[data-qa-event]"), (e) => e.textContent).join("; "),
			sources: String(document.querySelectorAll("[data-qa-source]").length),
			score: (document.querySelector("[data-qa-source]") || { dataset: {} }).dataset.score || "" };
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]string{
		"identity": `^direct · qa-5$`,
		"language": `^fr \(requested fr, browser [^,]+, contact —, channel [^)]+\)$`,
		"provider": `^extractive / `,
		"tokens":   `^\d+ / \d+$`,
		"latency":  `^[\d.]+ ms / [\d.]+ ms / [\d.]+ ms$`,
		"events":   `config from http://localhost:\d+.*session started.*ack \(\d+ ms\)`,
		"sources":  `^[1-9]\d*$`,
		"score":    `^[\d.]+$`,
	}
	for k, re := range checks {
		if !regexp.MustCompile(re).MatchString(got[k]) {
			t.Errorf("QA %s = %q, want %s", k, got[k], re)
		}
	}

	marker = h.load("pub", "", map[string]any{"mode": "public"})
	pub := attachFrameURL(t, h.ctx, h.b, marker)
	if n, err := eval[int](pub.ctx, `document.querySelectorAll("[data-qa]").length`); err != nil || n != 0 {
		t.Errorf("a public channel shows a QA panel: %d %v", n, err)
	}
}

// TestFrameLanguagesAndRTL: an Arabic config mirrors the whole frame (html
// dir and lang, the composer's send button on the left, the visitor's
// bubbles on the left); the language menu keeps English available and
// switches the UI and the reply language; Escape asks the parent to close;
// replies are announced sentence by sentence, not token by token.
func TestFrameLanguagesAndRTL(t *testing.T) {
	h, _ := openPersonaHost(t)
	marker := h.load("pub", "", map[string]any{"mode": "public", "locale": "ar", "direction": "rtl"})
	frame := attachFrameURL(t, h.ctx, h.b, marker)
	a11y, err := eval[string](frame.ctx, `[document.documentElement.dir, document.documentElement.lang,
		document.getElementById("docent-app").getAttribute("role"), document.getElementById("docent-app").getAttribute("aria-labelledby"),
		document.querySelector("[data-transcript]").getAttribute("aria-live"), document.querySelector("[data-action=language]").value,
		document.querySelector("label[for=docent-lang]").textContent].join("|")`)
	if err != nil || a11y != "rtl|ar|dialog|docent-title|off|ar|اللغة" {
		t.Errorf("RTL state = %q (%v)", a11y, err)
	}
	// The menu lists only the current language while the frame opens (ui.ts
	// languageMenu), then every shipped language once it is idle, the
	// choice kept, so that a screen reader browsing the panel hears them all.
	if _, err := waitFor[bool](frame.ctx, "every language in the menu", `document.querySelectorAll("[data-action=language] option").length === 8 &&
		document.querySelector("[data-action=language]").value === "ar" && !!document.querySelector("[data-action=language] option[value=en][lang=en]")`); err != nil {
		t.Error(err)
	}
	if s := chatTurn(t, frame, "How do I embed the widget? Tell me more."); s != "complete" {
		t.Fatalf("reply ended %q", s)
	}
	layout, err := eval[map[string]bool](frame.ctx, `(() => {
		const r = (s) => document.querySelector(s).getBoundingClientRect();
		const user = r('[data-role="user"]'), bot = r('[data-role="assistant"][data-kind]:last-child');
		return { sendOnLeft: r("[data-action=send]").right <= r("textarea").left + 1, userOnLeft: user.left < bot.left || user.right < bot.right };
	})()`)
	if err != nil || !layout["sendOnLeft"] || !layout["userOnLeft"] {
		t.Errorf("RTL layout not mirrored: %v %v", layout, err)
	}
	png, err := chromedp.Run(h.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(os.TempDir(), "docent-frame-rtl.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("RTL screenshot: %s", shot)

	// Sentence announcements: complete sentences, far fewer than the tokens.
	lines, err := eval[[]string](frame.ctx, `Array.from(document.querySelectorAll("[data-announcer] p"), (p) => p.textContent)`)
	if err != nil || len(lines) == 0 {
		t.Fatalf("no announcements: %v %v", lines, err)
	}
	for _, l := range lines[:len(lines)-1] {
		if !strings.ContainsAny(l[len(l)-1:], ".!?…:") && !strings.HasSuffix(l, "؟") {
			t.Errorf("announced a fragment, not a sentence: %q", l)
		}
	}

	// The menu: focused, it lists every shipped language with the current
	// one still selected; back to English, and the next reply is in English too.
	menu, err := eval[string](frame.ctx, `(() => { const s = document.querySelector("[data-action=language]"); s.focus();
		return s.value + "|" + Array.from(s.options, (o) => o.value).join(","); })()`)
	if err != nil || menu != "ar|en,es,fr,de,ru,ar,ja,zh-TW" {
		t.Errorf("focused language menu = %q (%v)", menu, err)
	}
	if _, err := eval[bool](frame.ctx, `(() => { const s = document.querySelector("[data-action=language]"); s.value = "en"; s.dispatchEvent(new Event("change")); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](frame.ctx, "English UI", `document.documentElement.dir === "ltr" && document.documentElement.lang === "en" &&
		document.querySelector("[data-action=send]").getAttribute("aria-label") === "Send"`); err != nil {
		t.Fatal(err)
	}
	// What the transcript already holds follows too: screen-reader role
	// prefixes and source headings are in English now.
	if words, err := eval[string](frame.ctx, `Array.from(document.querySelectorAll('[data-transcript] .sr, [data-sources] > p'), (e) => e.textContent).join("|")`); err != nil ||
		strings.ContainsAny(words, "أبتثجحخدذرزسشصضطظعغفقكلمنهوي") || !strings.Contains(words, "You: ") {
		t.Errorf("the transcript's own labels after switching to English: %q (%v)", words, err)
	}
	if s := chatTurn(t, frame, "What about identity?"); s != "complete" {
		t.Fatalf("reply ended %q", s)
	}
	reqs, err := frame.requests()
	if err != nil {
		t.Fatal(err)
	}
	var last frameRequest
	for _, r := range reqs {
		if strings.HasSuffix(r.URL, "/widget/chat") {
			last = r
		}
	}
	if !strings.Contains(last.Req, `"language":"en"`) {
		t.Errorf("the chat request does not carry the chosen language: %q", last.Req)
	}

	// Escape asks the parent to close the panel.
	if err := chromedp.Do(frame.ctx, chromedp.KeyEvent("\u001b")); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](h.ctx, "docent:close", `window.__e2e.messages.some((m) => m.type === "docent:close")`); err != nil {
		t.Fatal(err)
	}
}
