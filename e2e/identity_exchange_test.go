package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
)

// exchangeTestTimeout leaves room for the proactive refresh, which the page's
// first token schedules a few seconds after load.
const exchangeTestTimeout = 90 * time.Second

// firstTokenTTL is the lifetime of the token the host page is rendered with:
// the loader refreshes 60 s before expiry, so about 4 s after load.
const firstTokenTTL = 64 * time.Second

// TestTX06_TX07_ExchangeTokenRefresh is the server-to-server token exchange
// (PROTOCOL §6.4) as seed 003 embeds it: the page carries a short-lived token
// and a fetchToken() that asks the site's backend, which calls
// POST /api/v1/auth/token with the app secret. The visitor chats while:
//   - the loader refreshes the token ~60 s before it expires, and the frame
//     uses the new one;
//   - 20 simultaneous needs for a token make one fetchToken() call (TX-06);
//   - a request refused with 401 token_expired is retried once with a token
//     from one fetchToken() call, and the visitor never notices;
//   - when the fresh token is refused too, there is no second refresh and no
//     loop: the visitor is told and continues as a guest (TX-07).
func TestTX06_TX07_ExchangeTokenRefresh(t *testing.T) {
	x, t0 := startExchange(t)
	// The first token travels as a bearer header.
	if r := x.chat("first-3301: how do I embed the widget?"); len(r) != 1 || r[0].Auth != "Bearer "+t0 || r[0].Status != 200 {
		t.Fatalf("want one chat request with the page's token as bearer:%s", describeRequests(r))
	}
	x.proactiveRefresh(t0)
	x.concurrentNeeds()
	x.reactiveRetry()
	x.refusedTwice()
}

// TestTX07_FetchTokenAnswersNotAToken: a host whose fetchToken() resolves
// with something other than a token (here a number) is answered at once:
// the visitor is told and continues as a guest without waiting for the
// frame's 10 s bound.
func TestTX07_FetchTokenAnswersNotAToken(t *testing.T) {
	x, _ := startExchange(t)
	x.run("hand out numbers", `(window.__e2e.mode = "number", true)`)
	x.injectExpired()
	start := time.Now()
	if err := x.frame.send("fifth-2208: how do I embed the widget?"); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](x.frame.ctx, "the auth_failed notice", `!!document.querySelector('[data-notice="auth_failed"]')`); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the visitor waited %v for a fetchToken() that had answered at once", took)
	}
	if err := x.frame.waitIdentity("anonymous"); err != nil {
		t.Fatal(err)
	}
	if len(x.calls()) == 0 {
		t.Error("fetchToken() was never called")
	}
}

// TestTX07_RefreshFinishingAfterLogout: a fetchToken() still running when
// the host logs the visitor out must not sign them back in: the frame's
// request is answered without the token it returned, and the visitor stays
// a guest.
func TestTX07_RefreshFinishingAfterLogout(t *testing.T) {
	x, _ := startExchange(t)
	x.run("close the gate", `(window.__e2e.closeGate(), true)`)
	answered := len(frameTokens(t, x.frame))
	if _, err := eval[bool](x.frame.ctx, `(parent.postMessage({ type: "docent:token-request" }, `+jsString(x.hostOrigin)+`), true)`); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](x.host, "fetchToken() held at the gate", `window.__e2e.fetchTokenCalls.length >= 1`); err != nil {
		t.Fatal(err)
	}
	x.run("log out", `(Docent.logoutUser(), true)`)
	if err := x.frame.waitIdentity("anonymous"); err != nil {
		t.Fatal(err)
	}
	x.run("open the gate", `(window.__e2e.openGate(), window.__e2e.gate = null, true)`)
	if _, err := waitFor[bool](x.frame.ctx, "the answer to the token request", `window.__e2e.tokens.length > `+strconv.Itoa(answered)); err != nil {
		t.Fatal(err)
	}
	if got := frameTokens(t, x.frame)[answered:]; len(got) != 1 || got[0] != "" {
		t.Errorf("after the logout the frame was handed %d answers with tokens %q, want one without a token", len(got), got)
	}
	if err := x.frame.waitIdentity("anonymous"); err != nil {
		t.Fatal(err)
	}
	if err := waitHostIdentity(x.host, "anonymous"); err != nil {
		t.Fatal(err)
	}
}

// startExchange serves seed 003's exchange flow: a page with a short-lived
// token (firstTokenTTL, returned as t0) and a fetchToken() that asks the
// site's backend, which calls POST /api/v1/auth/token with the app secret;
// the widget is open and the visitor verified.
func startExchange(t *testing.T) (x *exchangeScenario, t0 string) {
	t.Helper()
	ch := &testChannel{Key: "app", Config: store.ChannelConfig{Title: "App help", IdentityMode: store.IdentityExchange}}
	site, docent := startIdentitySite(t, ch)
	site.set("AppSecret", ch.Secrets.App)
	site.set("ExchangeKey", ch.ExchangeKey)
	secrets := &canaries{}
	secrets.add(ch.Secrets.App)
	t.Cleanup(func() { secrets.notLogged(t, docent) })
	mint := func(now time.Time, ttl time.Duration) string {
		v := &identity.Verifier{Now: func() time.Time { return now }}
		tok, _, err := v.IssueExchangeToken(ch.Key, "alice", site.get("ExchangeKey").([]byte), ttl)
		if err != nil {
			t.Error(err)
		}
		secrets.add(tok)
		return tok
	}
	var mu sync.Mutex
	var first string
	site.onRender(func(r *http.Request, data map[string]any) {
		tok := mint(time.Now(), firstTokenTTL)
		mu.Lock()
		first = tok
		mu.Unlock()
		data["Token"] = tok
	})
	site.handle("POST /api/your-token-endpoint", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("mode") == "expired" {
			writeJSONBody(w, map[string]any{"data": map[string]string{"token": mint(time.Now().Add(-10*time.Minute), time.Minute)}})
			return
		}
		tok, err := exchangeToken(docent.URL, ch.Key, site.get("AppSecret").(string), "alice")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		secrets.add(tok)
		writeJSONBody(w, map[string]any{"data": map[string]string{"token": tok}})
	})

	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, exchangeTestTimeout)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate(site.Origin+"/exchange")); err != nil {
		t.Fatal(err)
	}
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	frame := openKey(t, ctx, b, ch.Key)
	if err := frame.waitIdentity("verified"); err != nil {
		t.Fatal(err)
	}
	if err := waitHostIdentity(ctx, "verified"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	t0 = first
	mu.Unlock()
	return &exchangeScenario{t: t, host: ctx, frame: frame, hostOrigin: site.Origin, docentURL: docent.URL}, t0
}

// exchangeScenario drives the steps of TestTX06_TX07_ExchangeTokenRefresh.
type exchangeScenario struct {
	t                     *testing.T
	host                  context.Context // the host page
	frame                 *widgetFrame
	hostOrigin, docentURL string
}

// all is what the frame requested so far, but for its telemetry report,
// which it sends on its own clock (a quiet period after the handshake) and
// which carries no credential.
func (x *exchangeScenario) all() []frameRequest {
	x.t.Helper()
	list, err := x.frame.requests()
	if err != nil {
		x.t.Fatal(err)
	}
	return slices.DeleteFunc(list, func(r frameRequest) bool { return strings.Contains(r.URL, "/widget/telemetry") })
}

// chat sends text, waits for a complete reply and returns the requests it made.
func (x *exchangeScenario) chat(text string) []frameRequest {
	x.t.Helper()
	before := len(x.all())
	if s := chatTurn(x.t, x.frame, text); s != "complete" {
		x.t.Fatalf("reply to %q ended %q; requests:%s", text, s, describeRequests(x.all()[before:]))
	}
	return x.all()[before:]
}

func (x *exchangeScenario) calls() []int64 { return fetchTokenCalls(x.t, x.host) }

func (x *exchangeScenario) run(what, expression string) {
	x.t.Helper()
	if _, err := eval[bool](x.host, expression); err != nil {
		x.t.Fatalf("%s: %v", what, err)
	}
}

// proactiveRefresh: about 60 s before the first token expires the frame
// asks, the loader calls fetchToken() once and the frame uses the new token.
func (x *exchangeScenario) proactiveRefresh(t0 string) {
	t := x.t
	if _, err := waitFor[bool](x.frame.ctx, "the refreshed token in the frame", `window.__e2e.tokens.length === 1`); err != nil {
		t.Fatal(err)
	}
	calls := x.calls()
	if len(calls) != 1 {
		t.Fatalf("want exactly one fetchToken() call for the proactive refresh, got %d", len(calls))
	}
	if lead := time.Duration(claimExp(t, t0)*1000-calls[0]) * time.Millisecond; lead < 55*time.Second || lead > 61*time.Second {
		t.Errorf("fetchToken() was called %v before the token's exp; want about 60 s", lead)
	}
	t1 := frameTokens(t, x.frame)[0]
	if t1 == t0 || claimSub(t, t1) != "alice" {
		t.Fatalf("the refreshed token should be a new token for alice")
	}
	if r := x.chat("second-8812: how do I embed the widget?"); len(r) != 1 || r[0].Auth != "Bearer "+t1 || r[0].Status != 200 {
		t.Fatalf("after the refresh the frame must use the new token:%s", describeRequests(r))
	}
}

// concurrentNeeds (TX-06): twenty token requests while fetchToken() is held
// at a gate make one call, answered once.
func (x *exchangeScenario) concurrentNeeds() {
	t := x.t
	// Count from here: the frame's own proactive request (it schedules the
	// refresh) came before.
	x.run("close the gate", `(window.__e2e.closeGate(), window.__e2e.tokenRequests = 0, true)`)
	if _, err := eval[bool](x.frame.ctx, fmt.Sprintf(`(() => { for (let i = 0; i < 20; i++) parent.postMessage({ type: "docent:token-request" }, %s); return true; })()`, jsString(x.hostOrigin))); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](x.host, "20 token requests at the page", `window.__e2e.tokenRequests === 20`); err != nil {
		t.Fatal(err)
	}
	if n := len(x.calls()); n != 2 {
		t.Fatalf("TX-06: 20 concurrent needs made %d fetchToken() calls in all, want 2 (1 new)", n)
	}
	x.run("open the gate", `(window.__e2e.openGate(), window.__e2e.gate = null, true)`)
	if _, err := waitFor[bool](x.frame.ctx, "one answer to the 20 requests", `window.__e2e.tokens.length === 2`); err != nil {
		t.Fatal(err)
	}
}

// injectExpired has the page (the verified parent, which may) hand the frame
// an expired token for alice, and waits until the frame has it.
func (x *exchangeScenario) injectExpired() string {
	x.t.Helper()
	token, err := eval[string](x.host, fmt.Sprintf(`fetch("/api/your-token-endpoint?mode=expired", { method: "POST" })
		.then((r) => r.json())
		.then((j) => { document.getElementById("docent-widget").shadowRoot.querySelector("iframe").contentWindow
			.postMessage({ type: "docent:token", token: j.data.token }, %s); return j.data.token; })`, jsString(x.docentURL)))
	if err != nil {
		x.t.Fatal(err)
	}
	if _, err := waitFor[bool](x.frame.ctx, "the expired token in the frame", `window.__e2e.tokens.includes(`+jsString(token)+`)`); err != nil {
		x.t.Fatal(err)
	}
	return token
}

// reactiveRetry: a request refused for an expired token is retried once
// with a token from one fetchToken() call; the visitor sees a normal answer.
func (x *exchangeScenario) reactiveRetry() {
	expired := x.injectExpired()
	r := x.chat("third-6120: how do I embed the widget?")
	if len(r) != 2 || r[0].Auth != "Bearer "+expired || r[0].Status != 401 || r[1].Status != 200 || r[1].Auth == r[0].Auth {
		x.t.Fatalf("want the refused request retried once with a fresh token:%s", describeRequests(r))
	}
	if n := len(x.calls()); n != 3 {
		x.t.Fatalf("want one fetchToken() call for the 401, got %d calls in all (want 3)", n)
	}
}

// refusedTwice (TX-07): the refreshed token is refused too. No second
// refresh, no loop: a notice, a guest session, the unsent text kept.
func (x *exchangeScenario) refusedTwice() {
	t, frame := x.t, x.frame
	x.run("hand out expired tokens", `(window.__e2e.mode = "expired", true)`)
	x.injectExpired()
	before := len(x.all())
	const fourth = "fourth-4417: how do I embed the widget?"
	if err := frame.send(fourth); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](frame.ctx, "the auth_failed notice", `!!document.querySelector('[data-notice="auth_failed"]')`); err != nil {
		t.Fatalf("%v; requests:%s", err, describeRequests(x.all()[before:]))
	}
	// The notice is also said through the live region (WCAG 4.1.3).
	if said, err := eval[bool](frame.ctx, `(() => { const n = document.querySelector('[data-notice="auth_failed"]').textContent;
		return Array.from(document.querySelectorAll("[data-announcer] p"), (p) => p.textContent).some((s) => s && n.includes(s)); })()`); err != nil || !said {
		t.Errorf("the auth_failed notice was not announced (%v)", err)
	}
	if _, err := frame.waitRequests("a guest session", lastInitDone("")); err != nil {
		t.Fatal(err)
	}
	reqs := x.all()
	var refused, guestInit int
	for _, r := range reqs[before:] {
		switch {
		case strings.Contains(r.URL, "/widget/chat") && r.Status == 401:
			refused++
		case strings.Contains(r.URL, "/widget/session/init") && r.Auth == "" && r.Status == 200:
			guestInit++
		default:
			t.Errorf("unexpected request after the second refusal: %s", r)
		}
	}
	if calls := len(x.calls()); refused != 2 || guestInit != 1 || calls != 4 {
		t.Fatalf("TX-07: want exactly one refresh (4 fetchToken calls in all, got %d), one retry (2 refused chats, got %d), then a guest session (got %d):%s",
			calls, refused, guestInit, describeRequests(reqs[before:]))
	}
	if err := frame.waitIdentity("anonymous"); err != nil {
		t.Fatal(err)
	}
	if err := waitHostIdentity(x.host, "anonymous"); err != nil {
		t.Fatal(err)
	}
	if v, err := eval[string](frame.ctx, `document.querySelector('textarea[name="message"]').value`); err != nil || v != fourth {
		t.Errorf("the unsent message should wait in the composer, got %q (%v)", v, err)
	}
	// The guest can go on: the waiting message is sent without a token, and
	// nothing asks for one again.
	replies := count(mustTranscript(t, frame), isAssistant)
	if err := chromedp.Do(frame.ctx, chromedp.Click(chromedp.CSS(`button[type="submit"]`))); err != nil {
		t.Fatal(err)
	}
	if status, err := frame.waitReply(replies); err != nil || status != "complete" {
		t.Fatalf("the guest's reply: %q (%v)", status, err)
	}
	if n := len(x.calls()); n != 4 {
		t.Errorf("no further fetchToken() call may happen as a guest, got %d in all", n)
	}
	if bubbles := mustTranscript(t, frame); mentions(bubbles, "first-3301") || mentions(bubbles, "third-6120") {
		t.Errorf("the guest must not see alice's conversation:%s", describe(bubbles))
	}
}

func fetchTokenCalls(t *testing.T, ctx context.Context) []int64 {
	t.Helper()
	calls, err := eval[[]int64](ctx, `window.__e2e.fetchTokenCalls`)
	if err != nil {
		t.Fatal(err)
	}
	return calls
}

func frameTokens(t *testing.T, f *widgetFrame) []string {
	t.Helper()
	list, err := eval[[]string](f.ctx, `window.__e2e.tokens`)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// exchangeToken is the host backend's server-to-server call.
func exchangeToken(docentURL, appID, appSecret, user string) (string, error) {
	body, _ := json.Marshal(map[string]string{"appId": appID, "appSecret": appSecret, "endUserId": user})
	resp, err := http.Post(docentURL+"/api/v1/auth/token", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Token     string `json:"token"`
		ExpiresAt string `json:"expiresAt"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.Token == "" {
		return "", fmt.Errorf("token exchange: HTTP %d (%v)", resp.StatusCode, err)
	}
	if _, err := time.Parse(time.RFC3339, out.ExpiresAt); err != nil {
		return "", fmt.Errorf("token exchange: expiresAt %q is not RFC 3339", out.ExpiresAt)
	}
	return out.Token, nil
}

// jwtClaims reads a JWT's payload without verifying it.
func jwtClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

func claimExp(t *testing.T, token string) int64 {
	exp, _ := jwtClaims(t, token)["exp"].(float64)
	return int64(exp)
}

func claimSub(t *testing.T, token string) string {
	sub, _ := jwtClaims(t, token)["sub"].(string)
	return sub
}
