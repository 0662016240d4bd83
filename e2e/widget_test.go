package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

const embedQuestion = "How do I embed the widget on my site?"

// TestWidgetEndToEnd is a newcomer's first visit: a site embeds the demo
// channel with the one-line snippet, the visitor opens the widget, asks how
// to embed it, watches the answer stream in with citations, reloads the page
// and finds the conversation again, then starts a new chat.
func TestWidgetEndToEnd(t *testing.T) {
	docent := startDocent(t, 25*time.Millisecond)
	hostBase := startHostPages(t, docent.URL)
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()

	requests, err := watchRequests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	loadHostPage(t, ctx, hostBase+"/host")
	// Give the loader its idle time: a loader that prefetched the frame or
	// opened a session when idle would show it in the checks below.
	if _, err := eval[bool](ctx, `new Promise((r) => requestIdleCallback(() => r(true), { timeout: 2000 }))`); err != nil {
		t.Fatal(err)
	}
	launcher, err := readLauncher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if launcher.Expanded != "false" || launcher.Iframes != 0 || launcher.DocFrame != 0 {
		t.Fatalf("before the first open: want a closed launcher and no iframe, got %+v", launcher)
	}
	for _, want := range []string{docent.URL + "/widget.js?key=demo", docent.URL + "/widget/demo/config.json"} {
		if len(requests.matching(want)) == 0 {
			t.Errorf("host page never requested %s; requests:\n%s", want, requests)
		}
	}
	for _, lazy := range []string{"/widget/session/", "/static/widget/", "/widget/demo/frame", "/widget/chat"} {
		if got := requests.matching(lazy); len(got) > 0 {
			t.Errorf("requested %v before the widget was opened (the iframe must be lazy)", got)
		}
	}

	frame := openWidget(t, ctx, b, docent.URL, nil)
	bubbles := mustTranscript(t, frame)
	if len(bubbles) != 1 || !isGreeting(bubbles[0]) || bubbles[0].Status != "complete" || strings.TrimSpace(bubbles[0].Text) == "" {
		t.Fatalf("a new visitor should see exactly one greeting, got:%s", describe(bubbles))
	}
	answer := askAndWatchStream(t, frame, embedQuestion)
	if !strings.Contains(answer.Text, "widget.js") || answer.Sources < 1 || answer.Status != "complete" {
		t.Errorf("want a complete answer mentioning widget.js with at least one citation link, got %s\nfull text: %q\nsources: %v", answer, answer.Text, answer.Links)
	}
	want := []bubble{bubbles[0], {Role: "user", Text: embedQuestion}, answer}

	// Reload: the conversation is resumed, without a second greeting.
	frame = reloadAndOpen(t, ctx, b, docent.URL, frame)
	bubbles = mustTranscript(t, frame)
	if !sameConversation(bubbles, want) || count(bubbles, isGreeting) != 1 {
		t.Fatalf("after a reload want the resumed transcript%s\ngot:%s", describe(want), describe(bubbles))
	}

	t.Logf("reload resumed the conversation:%s", describe(bubbles))

	// Start new chat: a fresh greeting below a divider; the old transcript may stay above.
	if err := chromedp.Do(frame.ctx, chromedp.Click(chromedp.CSS(`[data-action="new-chat"]`))); err != nil {
		t.Fatalf("click Start new chat: %v", err)
	}
	if _, err := waitFor[bool](frame.ctx, "a second greeting", `document.querySelectorAll('[data-transcript] [data-kind="greeting"]').length === 2`); err != nil {
		t.Fatalf("%v; transcript:%s", err, describe(mustTranscript(t, frame)))
	}
	bubbles = mustTranscript(t, frame)
	last := len(bubbles) - 1
	divider := slices.IndexFunc(bubbles, func(b bubble) bool { return b.Divider })
	if !isGreeting(bubbles[last]) || count(bubbles, func(b bubble) bool { return b.Role == "user" }) > 1 ||
		(divider >= 0 && divider != last-1) || (divider < 0 && last != 0) {
		t.Fatalf("after Start new chat want [old transcript, divider,] new greeting last, got:%s", describe(bubbles))
	}
	t.Logf("after Start new chat:%s", describe(bubbles))

	// A further reload shows only the new conversation.
	frame = reloadAndOpen(t, ctx, b, docent.URL, frame)
	bubbles = mustTranscript(t, frame)
	if len(bubbles) != 1 || !isGreeting(bubbles[0]) {
		t.Fatalf("after Start new chat and a reload want only the new greeting, got:%s", describe(bubbles))
	}
	if strings.TrimSpace(bubbles[0].Text) == "" {
		t.Errorf("the new conversation's greeting is empty")
	}
}

// openWidget clicks the launcher and attaches to the frame it creates.
func openWidget(t *testing.T, ctx context.Context, b *browser, docentURL string, old *widgetFrame) *widgetFrame {
	t.Helper()
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	if err := waitExpanded(ctx, true); err != nil {
		t.Fatal(err)
	}
	s, err := readLauncher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Iframes != 1 || s.FrameSrc != docentURL+"/widget/demo/frame" {
		t.Fatalf("after opening want one iframe at %s/widget/demo/frame in the shadow root, got %+v", docentURL, s)
	}
	var oldID target.ID
	if old != nil {
		oldID = old.id
	}
	frame, err := attachFrame(ctx, b, "demo", oldID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(frame.cancel)
	return frame
}

// reloadAndOpen reloads the host page, checks the widget starts closed and
// lazy again, and opens it.
func reloadAndOpen(t *testing.T, ctx context.Context, b *browser, docentURL string, old *widgetFrame) *widgetFrame {
	t.Helper()
	old.cancel()
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatalf("reload: %v", err)
	}
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	if s, err := readLauncher(ctx); err != nil || s.Iframes != 0 {
		t.Fatalf("after a reload want no iframe before opening, got %+v (%v)", s, err)
	}
	return openWidget(t, ctx, b, docentURL, old)
}

func mustTranscript(t *testing.T, f *widgetFrame) []bubble {
	t.Helper()
	list, err := f.transcript()
	if err != nil {
		t.Fatalf("read transcript: %v", err)
	}
	return list
}

// sameConversation compares what a visitor reads: roles, the greeting kind,
// texts (whitespace-trimmed: the final rendering is Markdown) and citations.
func sameConversation(got, want []bubble) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Role != w.Role || strings.TrimSpace(g.Text) != strings.TrimSpace(w.Text) || g.Sources != w.Sources ||
			isGreeting(g) != isGreeting(w) || g.Divider || g.Notice != "" {
			return false
		}
	}
	return true
}
