package e2e

import (
	"testing"
)

// streamSample is the newest reply as a MutationObserver in the frame saw it
// after one batch of DOM changes.
type streamSample struct {
	Status string `json:"status"`
	Len    int    `json:"len"`
}

// observeReplyJS starts recording, inside the frame, every state of the next
// assistant message. Recording in the page sees each streamed delta, which
// polling over the DevTools connection could miss. It returns the number of
// assistant messages already shown.
const observeReplyJS = `(() => {
	const log = document.querySelector("[data-transcript]");
	const before = log.querySelectorAll('[data-role="assistant"]').length;
	const samples = (window.__e2eSamples = []);
	new MutationObserver(() => {
		const m = log.querySelectorAll('[data-role="assistant"]')[before];
		if (!m) return;
		const body = m.querySelector("[data-body]");
		samples.push({ status: m.getAttribute("data-status") || "", len: body ? body.textContent.length : 0 });
	}).observe(log, { subtree: true, childList: true, characterData: true, attributes: true });
	return before;
})()`

// askAndWatchStream sends question and checks that the reply streamed: its
// text grew through at least three lengths while marked streaming, never
// shrank, and then became complete. It returns the final reply.
func askAndWatchStream(t *testing.T, frame *widgetFrame, question string) bubble {
	t.Helper()
	before, err := eval[int](frame.ctx, observeReplyJS)
	if err != nil {
		t.Fatal(err)
	}
	if err := frame.send(question); err != nil {
		t.Fatalf("send %q: %v", question, err)
	}
	status, err := frame.waitReply(before)
	if err != nil {
		t.Fatalf("%v; transcript:%s", err, describe(mustTranscript(t, frame)))
	}
	if status != "complete" {
		t.Fatalf("reply ended %q, want complete; transcript:%s", status, describe(mustTranscript(t, frame)))
	}
	samples, err := eval[[]streamSample](frame.ctx, `window.__e2eSamples`)
	if err != nil {
		t.Fatal(err)
	}
	lengths := map[int]bool{}
	prev := 0
	for _, s := range samples {
		if s.Status != "streaming" || s.Len == 0 {
			continue
		}
		if s.Len < prev {
			t.Errorf("streamed text shrank from %d to %d characters", prev, s.Len)
		}
		prev = s.Len
		lengths[s.Len] = true
	}
	if len(lengths) < 3 {
		t.Errorf("want the reply to grow through at least 3 lengths while streaming, saw %d: %+v", len(lengths), samples)
	}
	if n := len(samples); n == 0 || samples[n-1].Status != "complete" {
		t.Errorf("want the last observed state complete, got %+v", samples)
	}
	bubbles := mustTranscript(t, frame)
	reply := bubbles[len(bubbles)-1]
	if reply.Role != "assistant" {
		t.Fatalf("want the reply last in the transcript, got:%s", describe(bubbles))
	}
	t.Logf("reply streamed through %d observed lengths over %d DOM updates", len(lengths), len(samples))
	return reply
}
