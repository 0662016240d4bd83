package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
)

// TestOR01_OR07_DisallowedOriginCannotFrame: a channel allows one site. That
// site embeds the widget and it works; another site can neither frame the
// widget itself (OR-01) nor frame the allowed site's page to get the widget
// inside it (OR-07: frame-ancestors checks every ancestor). The browser
// itself refuses: it reports the frame-ancestors violation and the frame
// holds an error page, never the chat app.
func TestOR01_OR07_DisallowedOriginCannotFrame(t *testing.T) {
	allowed, attacker := startHostSite(t), startHostSite(t)
	ch := &testChannel{Key: "only-a", Config: store.ChannelConfig{Title: "Shop", AllowedOrigins: []string{allowed.Origin}}}
	docent := startDocentWith(t, 0, createChannels(ch))
	for _, s := range []*hostSite{allowed, attacker} {
		s.set("Docent", docent.URL)
		s.set("Key", ch.Key)
	}
	attacker.set("Allowed", allowed.Origin)
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()

	for _, tc := range []struct{ name, url string }{
		{"OR-01 another site frames the widget", attacker.Origin + "/frame-direct"},
		{"OR-07 another site frames the allowed page", attacker.Origin + "/frame-host"},
	} {
		// Wait for the browser's own report of the violation: an event, not a delay.
		wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
		blocked := consoleWaiter(wctx, "frame-ancestors")
		if err := chromedp.Do(ctx, chromedp.Navigate(tc.url)); err != nil {
			wcancel()
			t.Fatal(err)
		}
		select {
		case msg := <-blocked:
			if !strings.Contains(msg, docent.URL) || !strings.Contains(msg, "frame-ancestors "+allowed.Origin+`"`) {
				t.Errorf("%s: the violation should name Docent's frame and list exactly the allowed origin: %s", tc.name, msg)
			}
		case <-wctx.Done():
			wcancel()
			t.Fatalf("%s: the browser reported no frame-ancestors violation", tc.name)
		}
		wcancel()
		checked := noChatApp(t, ctx, "/widget/"+ch.Key+"/frame")
		t.Logf("%s: blocked; %d frame target(s) hold an error page", tc.name, checked)
	}

	// The allowed site itself: the widget renders and completes the handshake.
	if err := chromedp.Do(ctx, chromedp.Navigate(allowed.Origin+"/embed")); err != nil {
		t.Fatal(err)
	}
	if _, err := attachFrame(ctx, b, ch.Key, ""); err != nil {
		t.Fatalf("on the allowed origin the widget must render: %v", err)
	}
	acks, err := waitAcks(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if acks[0].Origin != docent.URL || !acks[0].OK {
		t.Errorf("ack = %+v", acks[0])
	}
}

// noChatApp checks that every iframe target showing part holds no chat app
// (a blocked frame shows Chromium's error page). Targets that vanish while
// being checked (a previous page's frames) are skipped. It returns how many
// it checked.
func noChatApp(t *testing.T, ctx context.Context, part string) int {
	t.Helper()
	infos, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, info := range infos {
		if info.Type != "iframe" || !strings.Contains(info.URL, part) {
			continue
		}
		fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
		got, err := eval[map[string]any](fctx, `({ url: document.URL, app: !!document.getElementById("docent-app") })`)
		cancel()
		if err != nil {
			continue // gone
		}
		checked++
		if got["app"] != false || !strings.HasPrefix(got["url"].(string), "chrome-error:") {
			t.Errorf("a frame of %s rendered on a disallowed ancestor: %v", info.URL, got)
		}
	}
	return checked
}

// TestPM03_ForgedConfigFromSiblingFrameIgnored: alice is signed in on an
// allowed site whose page also holds another iframe of the same origin (an
// ad, a compromised widget). That sibling reaches the Docent iframe through
// the page's DOM and posts a chat-embed-config with mallory's valid identity
// token, a logout and a token. The origin is right but the sender is not the
// widget's parent: the frame ignores all of it — no ack to the sibling, no
// request, alice stays signed in with her conversation.
func TestPM03_ForgedConfigFromSiblingFrameIgnored(t *testing.T) {
	site := startHostSite(t)
	ch := &testChannel{Key: "account", Config: store.ChannelConfig{Title: "Account help",
		IdentityMode: store.IdentitySigned, AllowedOrigins: []string{site.Origin}}}
	docent := startDocentWith(t, 0, createChannels(ch))
	site.set("Docent", docent.URL)
	site.set("Key", ch.Key)
	site.set("Secret", ch.Secrets.Signing)
	secrets := &canaries{}
	secrets.add(ch.Secrets.Signing)
	defer secrets.notLogged(t, docent)
	sign := func(user string) string {
		now := time.Now().Unix()
		token := identity.SignIdentityToken([]byte(site.get("Secret").(string)), map[string]any{"user_id": user, "iat": now, "exp": now + 300})
		secrets.add(token)
		return token
	}
	site.onRender(func(r *http.Request, data map[string]any) { data["IdentityToken"] = sign("alice") })
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(site.Origin+"/sibling")); err != nil {
		t.Fatal(err)
	}
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	frame := openKey(t, ctx, b, ch.Key)
	if err := frame.waitIdentity("verified"); err != nil {
		t.Fatal(err)
	}
	if _, err := waitAcks(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if s := chatTurn(t, frame, "alice-2291: how do I embed the widget?"); s != "complete" {
		t.Fatalf("reply ended %q", s)
	}
	before := mustTranscript(t, frame)

	forged := map[string]any{"identity_token": sign("mallory"), "user_id": "mallory"}
	if _, err := eval[bool](ctx, `document.getElementById("sibling").contentWindow.forge(`+mustJSON(forged)+`, `+jsString(docent.URL)+`)`); err != nil {
		t.Fatal(err)
	}
	// The real parent then reopens the widget, which sends a fresh config:
	// once its ack is back, the frame has handled the forged messages too
	// (they were posted first).
	if _, err := eval[bool](ctx, `(Docent.close(), Docent.open(), true)`); err != nil {
		t.Fatal(err)
	}
	acks, err := waitAcks(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range acks {
		if a.Origin != docent.URL || a.Identity != "verified" || a.SessionMode != "identified" {
			t.Errorf("ack to the parent: %+v, want alice still verified", a)
		}
	}
	got, err := eval[[]map[string]any](ctx, `document.getElementById("sibling").contentWindow.got`)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("the sibling frame must receive nothing from the widget, got %v", got)
	}
	reqs, err := frame.requests()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if strings.Contains(r.URL, "/widget/session/") {
			t.Errorf("the forged messages caused a request: %s", r)
		}
	}
	if err := frame.waitIdentity("verified"); err != nil {
		t.Fatal(err)
	}
	if after := mustTranscript(t, frame); !sameConversation(after, before) {
		t.Errorf("the transcript changed:%s\nwas:%s", describe(after), describe(before))
	}
	if err := waitHostIdentity(ctx, "verified"); err != nil {
		t.Fatal(err)
	}
}
