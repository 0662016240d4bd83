package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestEmbedLongHistory: a resumed conversation longer than what the frame
// shows at once (history.ts: the newest messages first, older ones filled in
// above them a chunk at a time) ends up whole, in order, with the newest
// message still in view, and only the older messages are lazily laid out.
func TestEmbedLongHistory(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	const turns = 15
	// Long questions (a paragraph each, like a visitor pasting an error), so
	// that fewer than 8 messages fill the view.
	question := func(i int) string {
		return fmt.Sprintf("history-turn-%02d: %s", i, strings.Repeat("the export fails with an error about the token ", 8))
	}
	id := startSessionWithMessage(t, docent.URL, site.Origin, question(1))
	for i := 2; i <= turns; i++ {
		postJSON(t, docent.URL+"/widget/chat", site.Origin, map[string]any{"session_id": id, "message": question(i)}, nil)
	}
	site.set("Thread", id)

	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/thread")
	f := attachKey(t, ctx, b, "demo")
	if _, err := waitFor[bool](f.ctx, "the frame ready and its history filled in",
		`document.querySelector("[data-ready]") && !document.querySelector("[data-history]")`); err != nil {
		t.Fatal(err)
	}
	got, err := eval[map[string]any](f.ctx, `(() => {
		const log = document.querySelector("[data-transcript]"), all = Array.from(log.querySelectorAll("[data-role]"));
		return {
			count: all.length,
			questions: all.filter((m) => m.dataset.role === "user").map((m) => m.querySelector("[data-body]").textContent.slice(0, 15)).join(","),
			past: all.map((m) => m.classList.contains("past") ? "p" : "n").join(""),
			fromBottom: Math.round(log.scrollHeight - log.scrollTop - log.clientHeight),
			// How far below the top of the visible log the first message
			// built before ready starts (≤ 0: those messages fill the view).
			gap: (() => { const first = all.find((m) => !m.classList.contains("past"));
				return first ? Math.round(first.getBoundingClientRect().top - log.getBoundingClientRect().top) : 1e9; })(),
		};
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	var want string
	for i := 1; i <= turns; i++ {
		if i > 1 {
			want += ","
		}
		want += fmt.Sprintf("history-turn-%02d", i)
	}
	if got["questions"] != want {
		t.Errorf("questions in the transcript = %v, want %s", got["questions"], want)
	}
	// The greeting and 15 questions with their answers: the newest built at
	// once, as many as fill the view (at most 8), the older ones filled in.
	if got["count"] != float64(2*turns+1) {
		t.Errorf("transcript shows %v messages, want %d", got["count"], 2*turns+1)
	}
	past, _ := got["past"].(string)
	immediate := len(past) - len(strings.TrimRight(past, "n"))
	if !regexp.MustCompile(`^p+n+$`).MatchString(past) || immediate > 8 {
		t.Errorf("lazily laid out (p) and immediate (n) messages = %v, want older ones lazy, then 1 to 8 immediate", past)
	}
	if gap, _ := got["gap"].(float64); immediate < 8 && gap > 0 {
		t.Errorf("the %d messages built before ready leave %vpx of the view to be filled in later", immediate, gap)
	}
	t.Logf("%d messages built before ready (%s)", immediate, past)
	if d, _ := got["fromBottom"].(float64); d > 2 {
		t.Errorf("the newest message is out of view: %vpx from the bottom after the fill", d)
	}
}
