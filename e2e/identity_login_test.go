package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
)

// TestAS06_AS07_AssertionLoginLogoutSwitch is a shop whose backend signs
// assertions (PROTOCOL §6.2) for whoever is signed in, on a shared computer:
// alice signs in before opening the widget, chats, signs out; a guest chats;
// bob signs in; alice signs in again. Each identity sees only its own
// conversation (AS-06), logout revokes the session on the server (AS-07),
// and every login fetches exactly one fresh assertion, only when the frame
// needs one (the loader stays lazy).
func TestAS06_AS07_AssertionLoginLogoutSwitch(t *testing.T) {
	ch := &testChannel{Key: "shop", Config: store.ChannelConfig{Title: "Shop help", IdentityMode: store.IdentitySigned}}
	site, docent := startIdentitySite(t, ch)
	secrets := &canaries{}
	secrets.add(ch.Secrets.Signing)
	var issued atomic.Int32
	serveAssertions(t, site, "shop", func(assertion string) {
		issued.Add(1)
		secrets.add(assertion)
	})
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()
	loadHostPage(t, ctx, site.Origin+"/assertion")

	// alice signs in before the widget was ever opened: remembered only.
	if _, err := eval[bool](ctx, `login("alice").then(() => true)`); err != nil {
		t.Fatal(err)
	}
	if l, err := readLauncher(ctx); err != nil || l.Iframes != 0 || issued.Load() != 0 {
		t.Fatalf("loginUser before the first open must not create the iframe nor fetch an assertion: %+v, %d assertions (%v)", l, issued.Load(), err)
	}
	frame := openKey(t, ctx, b, ch.Key)
	if err := frame.waitIdentity("verified"); err != nil {
		t.Fatal(err)
	}
	if err := waitHostIdentity(ctx, "verified"); err != nil {
		t.Fatal(err)
	}
	acks, err := waitAcks(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (hostAck{Origin: docent.URL, OK: true, SessionMode: "identified", Identity: "verified"}); acks[0] != want {
		t.Errorf("ack = %+v, want %+v", acks[0], want)
	}
	if bubbles := mustTranscript(t, frame); len(bubbles) != 1 || !isGreeting(bubbles[0]) {
		t.Fatalf("alice's first conversation should hold only the greeting:%s", describe(bubbles))
	}
	const aliceSays, guestSays = "alice-7431: how do I embed the widget?", "guest-5170: how do I embed the widget?"
	if s := chatTurn(t, frame, aliceSays); s != "complete" {
		t.Fatalf("alice's reply ended %q", s)
	}
	// An identified visitor's session is resumed by identity, never from the
	// browser's storage, so nothing of it can outlive a logout there.
	if stored, err := eval[any](frame.ctx, `localStorage.getItem("docent:shop:session")`); err != nil || stored != nil {
		t.Errorf("alice's session must not be kept in the frame's storage, found %v (%v)", stored, err)
	}

	// Logout: the session is revoked on the server, a guest session follows.
	if _, err := eval[bool](ctx, `logout().then(() => true)`); err != nil {
		t.Fatal(err)
	}
	reqs, err := frame.waitRequests("logout, then a guest session",
		`reqs.some((r) => r.url.includes("/widget/session/logout") && r.status === 200) && `+lastInitDone(""))
	if err != nil {
		t.Fatal(err)
	}
	aliceSession := ""
	for _, r := range reqs {
		if strings.Contains(r.URL, "/widget/session/logout") {
			aliceSession = r.sessionOf()
		}
	}
	if err := waitHostIdentity(ctx, "anonymous"); err != nil {
		t.Fatal(err)
	}
	if err := frame.waitIdentity("anonymous"); err != nil {
		t.Fatal(err)
	}
	if bubbles := mustTranscript(t, frame); mentions(bubbles, "alice-7431") || count(bubbles, isGreeting) != 1 {
		t.Fatalf("after logout the guest must see a fresh conversation and nothing of alice's:%s", describe(bubbles))
	}
	if code := postChat(t, docent.URL, aliceSession); code != "session_invalid" {
		t.Errorf("AS-07: alice's session_id after logout: got %q, want 401 session_invalid", code)
	}
	if s := chatTurn(t, frame, guestSays); s != "complete" {
		t.Fatalf("the guest's reply ended %q", s)
	}

	// bob on the same computer: a fresh session, nothing of alice or the guest.
	if _, err := eval[bool](ctx, `login("bob").then(() => true)`); err != nil {
		t.Fatal(err)
	}
	if _, err := frame.waitRequests("bob's session", lastInitDone("bob")); err != nil {
		t.Fatal(err)
	}
	if err := frame.waitIdentity("verified"); err != nil {
		t.Fatal(err)
	}
	if bubbles := mustTranscript(t, frame); mentions(bubbles, "alice-7431") || mentions(bubbles, "guest-5170") || len(bubbles) != 1 || !isGreeting(bubbles[0]) {
		t.Fatalf("bob must get a fresh conversation with nothing of alice's or the guest's:%s", describe(bubbles))
	}

	// alice again: her open conversation comes back, and only hers.
	if _, err := eval[bool](ctx, `login("alice").then(() => true)`); err != nil {
		t.Fatal(err)
	}
	reqs, err = frame.waitRequests("alice's session again", lastInitDone("alice"))
	if err != nil {
		t.Fatal(err)
	}
	// The newest init, not the newest request: the frame may already be
	// fetching something else (its events stream, say).
	if last := lastInit(reqs); last == nil || last.Body == nil || !last.Body.Resumed {
		t.Errorf("alice's open session should be resumed, got %s", last)
	}
	if bubbles := mustTranscript(t, frame); !mentions(bubbles, "alice-7431") || mentions(bubbles, "guest-5170") || count(bubbles, isGreeting) != 1 {
		t.Fatalf("alice should find her own conversation again, and only it:%s", describe(bubbles))
	}
	if err := waitHostIdentity(ctx, "verified"); err != nil {
		t.Fatal(err)
	}
	if n, err := eval[int](ctx, `window.__e2e.assertions`); err != nil || n != 3 || issued.Load() != 3 {
		t.Errorf("want exactly one fresh assertion per login that reached the frame (3): getAssertion ran %d times, backend signed %d (%v)", n, issued.Load(), err)
	}

	// mallory signs in, and the visitor signs out while the site is still
	// signing her assertion: the late assertion must not sign her in after
	// the logout. The loader drops a config whose login was replaced.
	if _, err := eval[bool](ctx, `heldLogin("mallory")`); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](ctx, "getAssertion called", `!!window.__e2e.release`); err != nil {
		t.Fatal(err)
	}
	if _, err := eval[bool](ctx, `logout().then(() => true)`); err != nil {
		t.Fatal(err)
	}
	if _, err := frame.waitRequests("a guest session after the logout", lastInitDone("")); err != nil {
		t.Fatal(err)
	}
	acked, err := eval[int](ctx, `window.__e2e.acks.length`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eval[bool](ctx, `window.__e2e.release().then(() => window.__e2e.held).then(() => true)`); err != nil {
		t.Fatal(err)
	}
	// A reopen sends a config and gets an ack; the frame applies configs in
	// arrival order, so by its ack anything sent before it has been applied.
	if _, err := eval[bool](ctx, `Docent.close(), Docent.open(), true`); err != nil {
		t.Fatal(err)
	}
	acks, err = waitAcks(ctx, acked+1)
	if err != nil {
		t.Fatal(err)
	}
	if late := acks[acked]; late.Identity != "anonymous" {
		t.Errorf("the first config after the logout made the visitor %q: a stale login was applied (%+v)", late.Identity, late)
	}
	reqs, err = frame.requests()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if r.Body != nil && r.Body.Identity.UserID == "mallory" {
			t.Errorf("a session was opened for mallory after the visitor signed out: %s", r)
		}
	}
	if err := waitHostIdentity(ctx, "anonymous"); err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		secrets.add(r.sessionOf())
		if r.Body != nil {
			secrets.add(r.Body.SessionID)
		}
	}
	secrets.notLogged(t, docent)
	t.Logf("frame requests:%s", describeRequests(reqs))
}

// TestSignedInConversationInTwoTabs: alice, signed in by assertion
// (PROTOCOL §6.2), chats in one tab and opens the chat in a second one,
// which resumes her conversation with a session credential of its own. The
// first tab's credential keeps working: her next message there needs no new
// assertion. Then she logs out in the second tab, which revokes every
// credential of the session (AS-07), while the first tab's page still
// signs her in: her next message there is refused (session_invalid), the
// panel asks the page for a fresh assertion, resumes her conversation as
// alice and sends the message there: she is never turned into a guest, nor
// is her message sent as a guest's.
func TestSignedInConversationInTwoTabs(t *testing.T) {
	ch := &testChannel{Key: "shop", Config: store.ChannelConfig{Title: "Shop help", IdentityMode: store.IdentitySigned}}
	site, _ := startIdentitySite(t, ch)
	serveAssertions(t, site, "shop", nil)
	b := newBrowser(t)
	open := func(ctx context.Context) {
		t.Helper()
		loadHostPage(t, ctx, site.Origin+"/assertion")
		if _, err := eval[bool](ctx, `login("alice").then(() => true)`); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()
	open(ctx)
	frame := openKey(t, ctx, b, ch.Key)
	if err := frame.waitIdentity("verified"); err != nil {
		t.Fatal(err)
	}
	if s := chatTurn(t, frame, "alice-first-2291: where is my order?"); s != "complete" {
		t.Fatalf("alice's first reply ended %q", s)
	}

	tab, closeTab := chromedp.NewContext(b.tab)
	defer closeTab()
	ctx2, cancel2 := context.WithTimeout(tab, testTimeout)
	defer cancel2()
	open(ctx2)
	if _, err := clickLauncher(ctx2); err != nil {
		t.Fatal(err)
	}
	if err := waitHostIdentity(ctx2, "verified"); err != nil {
		t.Fatal(err)
	}

	if s := chatTurn(t, frame, "alice-second-4410: can I change the address?"); s != "complete" {
		t.Fatalf("alice's second reply in the first tab ended %q", s)
	}
	if n, err := eval[int](ctx, `window.__e2e.assertions`); err != nil || n != 1 {
		t.Errorf("the first tab's credential should still work without a new assertion (1 in all), got %d (%v)", n, err)
	}

	if _, err := eval[bool](ctx2, `(Docent.logoutUser(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := waitHostIdentity(ctx2, "anonymous"); err != nil {
		t.Fatal(err)
	}
	if s := chatTurn(t, frame, "alice-third-7735: and the delivery date?"); s != "complete" {
		t.Fatalf("alice's third reply in the first tab ended %q", s)
	}
	if err := frame.waitIdentity("verified"); err != nil {
		t.Fatal(err)
	}
	bubbles := mustTranscript(t, frame)
	if !mentions(bubbles, "alice-first-2291") || !mentions(bubbles, "alice-second-4410") || !mentions(bubbles, "alice-third-7735") {
		t.Errorf("the first tab should show alice's whole conversation, resumed:%s", describe(bubbles))
	}
	if n, err := eval[int](ctx, `window.__e2e.assertions`); err != nil || n != 2 {
		t.Errorf("after the revocation the first tab should have asked its page for one fresh assertion (2 in all), got %d (%v)", n, err)
	}
	if err := waitHostIdentity(ctx, "verified"); err != nil {
		t.Fatal(err)
	}
}

// TestAS06_DirectIdLogout: on a channel that identifies visitors by the
// site's own user id (PROTOCOL §6.3), user 42 signs in with loginUser,
// chats and signs out. The conversation after the logout is a guest's: the
// session init carries no user id any more, and nothing of user 42 shows.
func TestAS06_DirectIdLogout(t *testing.T) {
	ch := &testChannel{Key: "portal", Config: store.ChannelConfig{Title: "Portal help", IdentityMode: store.IdentityDirect}}
	site, _ := startIdentitySite(t, ch)
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()
	loadHostPage(t, ctx, site.Origin+"/assertion")
	if _, err := eval[bool](ctx, `Docent.loginUser({ externalUserId: "42" }).then(() => true)`); err != nil {
		t.Fatal(err)
	}
	frame := openKey(t, ctx, b, ch.Key)
	if err := frame.waitIdentity("direct"); err != nil {
		t.Fatal(err)
	}
	const userSays = "user-42-8816: where is my invoice?"
	if s := chatTurn(t, frame, userSays); s != "complete" {
		t.Fatalf("user 42's reply ended %q", s)
	}
	if _, err := eval[bool](ctx, `logout().then(() => true)`); err != nil {
		t.Fatal(err)
	}
	reqs, err := frame.waitRequests("a guest session after the logout", lastInitDone(""))
	if err != nil {
		t.Fatal(err)
	}
	if err := frame.waitIdentity("anonymous"); err != nil {
		t.Fatal(err)
	}
	if err := waitHostIdentity(ctx, "anonymous"); err != nil {
		t.Fatal(err)
	}
	if last := lastInit(reqs); last == nil || strings.Contains(last.Req, `"user_id"`) {
		t.Errorf("the session init after the logout must carry no user id: %v", last.Req)
	}
	if bubbles := mustTranscript(t, frame); mentions(bubbles, "user-42-8816") || count(bubbles, isGreeting) != 1 {
		t.Fatalf("after the logout the guest must see a fresh conversation and nothing of user 42's:%s", describe(bubbles))
	}
}

// TestIT01_HMACTokenFromDocentConfig: a docs site renders a signed identity
// token (PROTOCOL §6.1) into window.DocentConfig. A valid token gives a
// verified session; a forged one falls back to a working anonymous chat
// (identity is optional on the channel); on a channel that requires identity
// a visitor without one sees a "please sign in" state until the site logs
// them in with loginUser({identityToken}).
func TestIT01_HMACTokenFromDocentConfig(t *testing.T) {
	site := startHostSite(t)
	optional := &testChannel{Key: "docs", Config: store.ChannelConfig{Title: "Docs",
		IdentityMode: store.IdentitySigned, AllowedOrigins: []string{site.Origin}}}
	required := &testChannel{Key: "members", Config: store.ChannelConfig{Title: "Members",
		IdentityMode: store.IdentitySigned, IdentityRequired: true, AllowedOrigins: []string{site.Origin}}}
	docent := startDocentWith(t, 0, createChannels(optional, required))
	site.set("Docent", docent.URL)
	site.set("Secrets", map[string]string{optional.Key: optional.Secrets.Signing, required.Key: required.Secrets.Signing})
	secrets := &canaries{}
	secrets.add(optional.Secrets.Signing, required.Secrets.Signing)
	defer secrets.notLogged(t, docent)
	sign := func(key, user string, forge bool) (token string) {
		defer func() { secrets.add(token) }()
		secret := site.get("Secrets").(map[string]string)[key]
		if forge {
			secret = "dsk_not-the-channel-secret-at-all-0000"
		}
		now := time.Now().Unix()
		return identity.SignIdentityToken([]byte(secret), map[string]any{"user_id": user, "iat": now, "exp": now + 300,
			"email": user + "@example.com", "plan_tier": "pro"})
	}
	site.onRender(func(r *http.Request, data map[string]any) {
		q := r.URL.Query()
		data["Key"] = q.Get("key")
		data["IdentityToken"] = nil // a visitor who is not signed in: null
		if user := q.Get("user"); user != "" {
			data["IdentityToken"] = sign(q.Get("key"), user, q.Get("forge") == "1")
		}
	})
	site.handle("POST /api/identity-token", func(w http.ResponseWriter, r *http.Request) {
		writeJSONBody(w, map[string]string{"token": sign(required.Key, r.URL.Query().Get("user"), false)})
	})

	tests := []struct {
		name, page, key   string
		identity, ackWant string // data-identity after the handshake; the ack's identity
	}{
		{"valid token", "/hmac?key=docs&user=carol", "docs", "verified", "verified"},
		{"forged token falls back to anonymous", "/hmac?key=docs&user=mallory&forge=1", "docs", "anonymous", "rejected"},
		{"queue stub: loginUser before init", "/hmac-queue?key=docs&user=erin", "docs", "verified", "verified"},
		{"identity required, not signed in", "/hmac?key=members", "members", "required", "anonymous"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t)
			ctx, cancel := context.WithTimeout(b.tab, testTimeout)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.Navigate(site.Origin+tc.page)); err != nil {
				t.Fatal(err)
			}
			if err := waitLauncher(ctx); err != nil {
				t.Fatal(err)
			}
			frame := openKey(t, ctx, b, tc.key)
			if err := frame.waitIdentity(tc.identity); err != nil {
				t.Fatalf("%v; transcript:%s", err, describe(mustTranscript(t, frame)))
			}
			acks, err := waitAcks(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if acks[0].Identity != tc.ackWant || acks[0].Origin != docent.URL || !acks[0].OK {
				t.Errorf("ack = %+v, want identity %q from %s", acks[0], tc.ackWant, docent.URL)
			}
			if tc.identity == "required" {
				checkSignInState(t, ctx, frame)
				return
			}
			if err := waitHostIdentity(ctx, tc.identity); err != nil {
				t.Fatal(err)
			}
			if s := chatTurn(t, frame, embedQuestion); s != "complete" {
				t.Fatalf("the chat must work (%s): reply ended %q", tc.identity, s)
			}
			// destroy forgets the visitor with everything else.
			if id, err := eval[string](ctx, `(Docent.destroy(), Docent.getState().identity)`); err != nil || id != "anonymous" {
				t.Errorf("getState().identity after destroy: %q (%v), want anonymous", id, err)
			}
		})
	}
}

// checkSignInState: a channel that requires identity shows a kind notice and
// no usable composer to a guest; loginUser({identityToken}) unlocks it.
func checkSignInState(t *testing.T, ctx context.Context, frame *widgetFrame) {
	t.Helper()
	state, err := eval[map[string]any](frame.ctx, `({
		notice: !!document.querySelector('[data-notice="identity_required"]'),
		disabled: document.querySelector('textarea[name="message"]').disabled,
		ended: !document.querySelector("[data-chat-ended]").hidden,
	})`)
	if err != nil {
		t.Fatal(err)
	}
	if state["notice"] != true || state["disabled"] != true || state["ended"] != false {
		t.Fatalf("want a sign-in notice and a disabled composer (not the chat-ended panel), got %v", state)
	}
	// With the composer off, focus goes to the transcript and its notice,
	// not nowhere (WCAG 2.4.3).
	if _, err := waitFor[bool](frame.ctx, "focus on the transcript", `document.hasFocus() && document.activeElement.hasAttribute("data-transcript")`); err != nil {
		active, _ := eval[string](frame.ctx, `document.hasFocus() + " " + document.activeElement.outerHTML.slice(0, 80)`)
		t.Errorf("%v (frame focus: %s)", err, active)
	}
	if _, err := eval[bool](ctx, `loginAs("dave").then(() => true)`); err != nil {
		t.Fatal(err)
	}
	if _, err := frame.waitRequests("dave's session", lastInitDone("dave")); err != nil {
		t.Fatal(err)
	}
	if err := frame.waitIdentity("verified"); err != nil {
		t.Fatal(err)
	}
	if bubbles := mustTranscript(t, frame); count(bubbles, func(b bubble) bool { return b.Notice != "" }) != 0 {
		t.Errorf("after sign-in the sign-in notice should be gone:%s", describe(bubbles))
	}
	if s := chatTurn(t, frame, embedQuestion); s != "complete" {
		t.Fatalf("after sign-in the chat must work: reply ended %q", s)
	}
}

// postChat sends one message for session id straight to Docent (as curl
// would) and returns the problem code, or "" on success.
func postChat(t *testing.T, docentURL, sessionID string) string {
	t.Helper()
	if sessionID == "" {
		t.Fatal("no session id captured")
	}
	body, _ := json.Marshal(map[string]string{"session_id": sessionID, "message": "still there?"})
	resp, err := http.Post(docentURL+"/widget/chat", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var problem struct {
		Code string `json:"code"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&problem)
	if resp.StatusCode == http.StatusOK {
		return ""
	}
	return problem.Code
}

func randomHex(t *testing.T) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Error(err)
	}
	return hex.EncodeToString(b)
}
