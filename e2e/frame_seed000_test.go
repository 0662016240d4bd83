package e2e

// Seed 000 (the iframe persona widget): a customer portal pastes the seed's
// launcher, iframe shell and handshake script — adapted only in the widget's
// host name — and Docent's frame must work with it unchanged.

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/docentchat/docent/internal/store"
)

// TestSeed000_PersonaIframeSnippet: the portal embeds a customer channel that
// takes direct ids. Opening the launcher reloads the iframe with the URL
// fallback parameters and sends chat-embed-config on chat-embed-ready: the
// ack arrives far under a second with a rotated nonce, the numeric user_id
// reaches the server as a direct identity, and chat works. The frame reports
// its handshake latency to Docent's metrics. Closing and reopening sends a
// fresh configuration (here through the URL, as the seed's script does on a
// reopen), and the same customer gets their conversation back.
func TestSeed000_PersonaIframeSnippet(t *testing.T) {
	site := startFrameSite(t)
	ch := &testChannel{Key: "customer-chat", Config: store.ChannelConfig{Title: "Customer Support",
		Persona: store.PersonaCustomer, IdentityMode: store.IdentityDirect, AllowedOrigins: []string{site.Origin}}}
	docent := startDocentWith(t, 0, createChannels(ch))
	site.setDocent(docent.URL)
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(site.Origin+"/seed000?key="+ch.Key)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#chat-launcher"))); err != nil {
		t.Fatal(err)
	}
	v, err := waitFor[string](ctx, "the iframe reloaded with the fallback parameters",
		`(() => { const u = new URL(document.getElementById("chat-iframe").src); return u.searchParams.get("user_id") === "12345" ? u.searchParams.get("v") : ""; })()`)
	if err != nil {
		t.Fatal(err)
	}
	frame := attachFrameURL(t, ctx, b, "v="+v)
	acks, err := waitFrameAcks(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	a := acks[0]
	if a.Origin != docent.URL || !a.OK || a.SessionMode != "identified" || a.Identity != "direct" || !nonceRE.MatchString(a.Nonce) {
		t.Fatalf("ack = %+v, want ok, identified, direct, with a nonce, from %s", a, docent.URL)
	}
	// Ready → ack, as the host page saw it (the frame's first ready to the ack).
	latency, err := eval[float64](ctx, `(() => { const r = window.__e2e.readies.filter((x) => x.data.nonce)[0]; return window.__e2e.acks[0].at - r.at; })()`)
	if err != nil {
		t.Fatal(err)
	}
	if latency <= 0 || latency > 500 {
		t.Errorf("handshake ready→ack took %.0f ms on the host page, want far under 1 s (≤ 500 ms)", latency)
	}
	t.Logf("handshake ready→ack: %.0f ms", latency)
	if err := frame.waitIdentity("direct"); err != nil {
		t.Fatal(err)
	}
	if s := chatTurn(t, frame, "customer 12345: how do I embed the widget?"); s != "complete" {
		t.Fatalf("reply ended %q", s)
	}
	before := mustTranscript(t, frame)
	// The frame reported the handshake: Docent's histogram counts it.
	waitMetric(t, ctx, docent.URL, "docent_widget_handshake_seconds_count", 1)

	// Close and reopen: the seed reloads the iframe with fresh parameters.
	for range 2 {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#chat-launcher"))); err != nil {
			t.Fatal(err)
		}
	}
	v2, err := waitFor[string](ctx, "a fresh iframe URL", `(() => { const v = new URL(document.getElementById("chat-iframe").src).searchParams.get("v"); return v !== `+jsString(v)+` ? v : ""; })()`)
	if err != nil {
		t.Fatal(err)
	}
	reopened := attachFrameURL(t, ctx, b, "v="+v2)
	if err := reopened.waitIdentity("direct"); err != nil {
		t.Fatal(err)
	}
	after := mustTranscript(t, reopened)
	if !sameConversation(after, before) {
		t.Errorf("customer 12345 should get their conversation back after a reopen:%s\nwas:%s", describe(after), describe(before))
	}
	if !mentions(after, "customer 12345") {
		t.Errorf("the resumed transcript lacks the question:%s", describe(after))
	}
	label, err := eval[string](ctx, `document.getElementById("chat-launcher").textContent.trim()`)
	if err != nil || !strings.Contains(label, "Close") {
		t.Errorf("launcher label = %q (%v), want the seed's Close Chat", label, err)
	}
}
