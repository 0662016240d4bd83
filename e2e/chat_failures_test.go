package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/docentchat/docent/internal/store"
)

// TestSessionClosedElsewhere: a visitor's conversation is ended while the
// panel is open (another tab's "Start new chat", the support team closing
// it). Their next message is refused with session_closed (PROTOCOL §5): the
// panel then shows the conversation as ended with "Start new chat", focused,
// instead of a generic error, and the unsent text waits in the composer,
// where it is sent in the new conversation.
func TestSessionClosedElsewhere(t *testing.T) {
	ch := &testChannel{Key: "help", Config: store.ChannelConfig{Title: "Help"}}
	site, docent := startIdentitySite(t, ch)
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()
	loadHostPage(t, ctx, site.Origin+"/assertion")
	frame := openKey(t, ctx, b, ch.Key)
	if s := chatTurn(t, frame, "how do I embed the widget?"); s != "complete" {
		t.Fatalf("first reply ended %q", s)
	}
	session, err := eval[string](frame.ctx, `localStorage.getItem("docent:help:session") || ""`)
	if err != nil || session == "" {
		t.Fatalf("the guest's session should be stored: %q (%v)", session, err)
	}
	body, _ := json.Marshal(map[string]string{"session_id": session})
	resp, err := http.Post(docent.URL+"/widget/session/close", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("closing the session: HTTP %d", resp.StatusCode)
	}

	const unsent = "closed-7731: and the CSP?"
	if err := frame.send(unsent); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](frame.ctx, "the chat shown as ended",
		`document.getElementById("docent-app").getAttribute("data-session-status") === "closed"`); err != nil {
		t.Fatal(err)
	}
	type view struct {
		Ended   bool   `json:"ended"`
		Draft   string `json:"draft"`
		Focused string `json:"focused"`
		Notices int    `json:"notices"`
	}
	v, err := eval[view](frame.ctx, `({
		ended: !document.querySelector("[data-chat-ended]").hidden,
		draft: document.querySelector("textarea[name=message]").value,
		focused: document.activeElement.getAttribute("data-action") || document.activeElement.tagName,
		notices: document.querySelectorAll("[data-notice]").length,
	})`)
	if err != nil {
		t.Fatal(err)
	}
	if want := (view{Ended: true, Draft: unsent, Focused: "start-new-chat"}); v != want {
		t.Errorf("after session_closed: %+v, want %+v", v, want)
	}
	if bubbles := mustTranscript(t, frame); mentions(bubbles, "closed-7731") {
		t.Errorf("the refused message must not stay in the transcript as sent:%s", describe(bubbles))
	}

	// "Start new chat", then the waiting text is sent in the new conversation.
	if err := chromedp.Do(frame.ctx, chromedp.Click(`[data-action="start-new-chat"]`)); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](frame.ctx, "a new open conversation",
		`document.getElementById("docent-app").getAttribute("data-session-status") === "open" && !document.querySelector("textarea[name=message]").disabled`); err != nil {
		t.Fatal(err)
	}
	before := count(mustTranscript(t, frame), isAssistant)
	if err := chromedp.Do(frame.ctx, chromedp.Click(`button[type="submit"]`)); err != nil {
		t.Fatal(err)
	}
	if s, err := frame.waitReply(before); err != nil || s != "complete" {
		t.Fatalf("the waiting message's reply: %q (%v); transcript:%s", s, err, describe(mustTranscript(t, frame)))
	}
	if bubbles := mustTranscript(t, frame); !mentions(bubbles, "closed-7731") {
		t.Errorf("the waiting message should have been sent in the new conversation:%s", describe(bubbles))
	}
}

// TestReplyInterruptedByShutdown: the server shuts down while a reply
// streams. The stream ends with a retryable error (draining): the panel keeps
// the partial reply, marks it interrupted, offers Retry, and a screen reader
// hears the reply to its last word, unfinished sentence included, not only
// the sentences completed before the stop.
func TestReplyInterruptedByShutdown(t *testing.T) {
	docent := startDocent(t, 40*time.Millisecond)
	hostBase := startHostPages(t, docent.URL)
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()
	loadHostPage(t, ctx, hostBase+"/host")
	frame := openWidget(t, ctx, b, docent.URL, nil)
	before, err := eval[int](frame.ctx, observeReplyJS)
	if err != nil {
		t.Fatal(err)
	}
	if err := frame.send(embedQuestion); err != nil {
		t.Fatal(err)
	}
	// Stop once a sentence has been announced and the next one is on its
	// way: its words are shown but not announced yet.
	if _, err := waitFor[bool](frame.ctx, "a sentence announced and the next one streaming", `(() => {
		const said = Array.from(document.querySelectorAll("[data-announcer] p"), (p) => p.textContent).join(" ");
		const all = document.querySelectorAll('[data-transcript] [data-role="assistant"]');
		const shown = all[all.length - 1].querySelector("[data-body]").textContent;
		return said.length > 0 && shown.length > said.length + 20;
	})()`); err != nil {
		t.Fatal(err)
	}
	docent.stop()
	status, err := frame.waitReply(before)
	if err != nil || status != "interrupted" {
		t.Fatalf("the reply should end interrupted, got %q (%v); transcript:%s", status, err, describe(mustTranscript(t, frame)))
	}
	type view struct {
		Body      string   `json:"body"`
		Announced []string `json:"announced"`
		Retry     bool     `json:"retry"`
	}
	v, err := eval[view](frame.ctx, `(() => {
		const all = document.querySelectorAll('[data-transcript] [data-role="assistant"]');
		return {
			body: all[all.length - 1].querySelector("[data-body]").textContent,
			announced: Array.from(document.querySelectorAll("[data-announcer] p"), (p) => p.textContent),
			retry: !!document.querySelector('[data-action="retry"]'),
		};
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Retry {
		t.Errorf("an interrupted reply should offer Retry")
	}
	// The reply's tail is announced (then the notice that offers Retry).
	words := strings.Fields(v.Body)
	said := false
	for _, line := range v.Announced {
		said = said || (len(words) > 0 && strings.HasSuffix(strings.TrimSpace(line), words[len(words)-1]))
	}
	if !said {
		t.Errorf("an announcement should end with the partial reply's last word %q; announced %q; reply %q", words[len(words)-1:], v.Announced, v.Body)
	}
}
