package e2e

// The handshake's lifecycle with a host page's own script: the PM-05 nonce,
// a parent that never answers (PM-10), the URL fallback, fresh configs on
// every reopen, untrusted text in titles and greetings (PM-06), and what the
// frame posts to its parent (PM-07).

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestPM05_StaleNonceIgnored: after the first ack, a config echoing the
// ready's (now stale) nonce — another user's — is ignored: no ack, no
// request, the identity stays. The nonce of the last ack is accepted, and
// each ack names a new one.
func TestPM05_StaleNonceIgnored(t *testing.T) {
	h, _ := openPersonaHost(t)
	marker := h.load("cust", "", nil)
	readyNonce := h.nonce()
	first := h.send(map[string]any{"mode": "customer", "user_id": 42})
	if !first.OK || first.Identity != "direct" || first.Nonce == readyNonce {
		t.Fatalf("first ack = %+v (ready nonce %s)", first, readyNonce)
	}
	frame := attachFrameURL(t, h.ctx, h.b, marker)
	before := h.acks()
	if _, err := eval[bool](h.ctx, fmt.Sprintf(`host.send({ mode: "customer", user_id: 666 }, %q)`, readyNonce)); err != nil {
		t.Fatal(err)
	}
	second := h.send(map[string]any{"mode": "customer", "user_id": 42}) // current nonce: a reopen
	if n := h.acks(); n != before+1 || !second.OK || second.Identity != "direct" || second.Nonce == first.Nonce {
		t.Fatalf("want only the current-nonce config acknowledged, with a new nonce: %d new ack(s), %+v", n-before, second)
	}
	reqs, err := frame.requests()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if strings.Contains(r.URL, "/widget/session/") {
			t.Errorf("the stale config caused a request: %s %s", r, r.Req)
		}
	}
	if err := frame.waitIdentity("direct"); err != nil {
		t.Fatal(err)
	}
}

// TestPM03_SiblingFrameCannotConfigureDirectFrame: on a host page that
// frames the chat directly, a same-origin sibling iframe posts a config for
// another user (without a nonce, which alone would pass). The sender is not
// the chat's parent: no ack to anyone, no request, the user stays, and the
// refusal is counted.
func TestPM03_SiblingFrameCannotConfigureDirectFrame(t *testing.T) {
	h, docent := openPersonaHost(t)
	marker := h.load("cust", "", nil)
	if a := h.send(map[string]any{"mode": "customer", "user_id": 42}); !a.OK || a.Identity != "direct" {
		t.Fatalf("ack = %+v", a)
	}
	frame := attachFrameURL(t, h.ctx, h.b, marker)
	before := h.acks()
	if _, err := eval[bool](h.ctx, `document.getElementById("sibling").contentWindow.forge({ mode: "customer", user_id: 666 }, `+jsString(docent.URL)+`)`); err != nil {
		t.Fatal(err)
	}
	if a := h.send(map[string]any{"mode": "customer", "user_id": 42}); h.acks() != before+1 || !a.OK || a.Identity != "direct" {
		t.Fatalf("after the forgery: %d new acks, last %+v", h.acks()-before, a)
	}
	got, err := eval[[]map[string]any](h.ctx, `document.getElementById("sibling").contentWindow.got`)
	if err != nil || len(got) != 0 {
		t.Errorf("the sibling received %v (%v)", got, err)
	}
	reqs, err := frame.requests()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if strings.Contains(r.URL, "/widget/session/") {
			t.Errorf("the forged config caused a request: %s", r)
		}
	}
	h.load("pub", "", nil) // the replaced frame reports its refusals
	waitMetric(t, h.ctx, docent.URL, `docent_widget_config_refused_total{reason="not_parent"}`, 1)
}

// TestPM10_ParentNeverAnswers: a host page that frames the widget and never
// sends a config. The frame announces itself a bounded number of times,
// then falls back to its URL and is a usable guest chat.
func TestPM10_ParentNeverAnswers(t *testing.T) {
	h, _ := openPersonaHost(t)
	marker := h.load("pub", "", nil)
	frame := attachFrameURL(t, h.ctx, h.b, marker)
	if err := frame.waitIdentity("anonymous"); err != nil {
		t.Fatal(err)
	}
	if s := chatTurn(t, frame, "How do I embed the widget?"); s != "complete" {
		t.Fatalf("reply ended %q", s)
	}
	// The frame stops announcing after 10 readies (~1 s); the chat turn took longer.
	readies, err := eval[int](h.ctx, `window.__e2e.readies.length`)
	if err != nil {
		t.Fatal(err)
	}
	if readies < 2 || readies > 10 {
		t.Errorf("%d chat-embed-ready messages, want a bounded retry (2…10)", readies)
	}
	if n := h.acks(); n != 0 {
		t.Errorf("%d acks without a config", n)
	}
	hidden, err := eval[bool](frame.ctx, `document.querySelector("[data-action=close]").hidden`)
	if err != nil || !hidden {
		t.Errorf("without a verified parent there is no close button (it could not be heard): hidden=%v %v", hidden, err)
	}
}

// TestPM_URLFallback: without a postMessage config the frame applies its URL
// parameters. A user_id there becomes a direct identity only inside a frame
// (frame-ancestors has vetted the embedding site) on a direct-id channel;
// a wrong mode gives a guest; opened top-level, the id is ignored.
func TestPM_URLFallback(t *testing.T) {
	h, docent := openPersonaHost(t)
	for _, tc := range []struct{ name, key, query, want string }{
		{"customer id from the URL", "cust", "&mode=customer&user_id=777&require_user_id=true&allow_generated_id=false&direction=rtl&locale=ar", "direct"},
		{"a mode the channel does not serve", "cust", "&mode=employee&user_id=5", "anonymous"},
		{"an invalid id", "emp", "&mode=employee&user_id=abc", "anonymous"},
		{"an id on a channel without direct ids", "pub", "&mode=public&user_id=777", "anonymous"},
	} {
		marker := h.load(tc.key, tc.query, nil)
		frame := attachFrameURL(t, h.ctx, h.b, marker)
		if err := frame.waitIdentity(tc.want); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if tc.want == "direct" {
			got, err := eval[string](frame.ctx, `document.documentElement.dir + " " + document.documentElement.lang`)
			if err != nil || got != "rtl ar" {
				t.Errorf("%s: html dir/lang = %q %v, want rtl ar", tc.name, got, err)
			}
		}
	}
	// Top-level, the same URL is not in a frame: the id is ignored.
	if err := chromedp.Do(h.ctx, chromedp.Navigate(docent.URL+"/widget/cust/frame?mode=customer&user_id=777&top=1")); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](h.ctx, "the top-level frame document is ready", `document.querySelector('#docent-app[data-ready="true"][data-identity="anonymous"]') !== null`); err != nil {
		t.Fatal(err)
	}
}

// TestPM_ReopenAppliesFreshConfig: every config is applied, not only the
// first: a reopen with another title, language, colour and theme changes
// the frame, and the same user keeps their session.
func TestPM_ReopenAppliesFreshConfig(t *testing.T) {
	h, _ := openPersonaHost(t)
	marker := h.load("cust", "", nil)
	h.send(map[string]any{"mode": "customer", "user_id": 42, "title": "First", "locale": "de"})
	frame := attachFrameURL(t, h.ctx, h.b, marker)
	check := func(want string) {
		t.Helper()
		expr := `[document.querySelector("[data-title]").textContent, document.documentElement.lang, document.documentElement.dir,
			getComputedStyle(document.getElementById("docent-app")).getPropertyValue("--accent").trim(),
			document.documentElement.getAttribute("data-theme"), document.querySelector("[data-action=language]").value,
			document.querySelector("[data-action=send]").getAttribute("aria-label")].join("|")`
		wctx, cancel := context.WithTimeout(frame.ctx, 10*time.Second)
		defer cancel()
		if _, err := waitFor[bool](wctx, want, expr+` === `+jsString(want)); err != nil {
			got, _ := eval[string](frame.ctx, expr)
			t.Fatalf("frame state %q, want %q", got, want)
		}
	}
	check("First|de|ltr|#1f5fbf|light|de|Senden")
	ack := h.send(map[string]any{"mode": "customer", "user_id": 42, "title": "Second", "locale": "ar", "accent": "green", "theme_mode": "dark"})
	if !ack.OK || ack.Identity != "direct" {
		t.Fatalf("reopen ack = %+v", ack)
	}
	check("Second|ar|rtl|#008000|dark|ar|إرسال")
	// Inline, and a colour no browser knows: the rest applies, the parent hears why.
	third := h.send(map[string]any{"mode": "customer", "user_id": 42, "inline": true, "accent": "notacolour", "theme_mode": "sepia"})
	if !third.OK {
		t.Fatalf("a config with invalid presentation fields is still applied: %+v", third)
	}
	if _, err := waitFor[bool](frame.ctx, "inline: a region without a close button", `document.getElementById("docent-app").getAttribute("role") === "region" &&
		document.querySelector("[data-action=close]").hidden`); err != nil {
		t.Fatal(err)
	}
	errs, err := waitFor[string](h.ctx, "two docent:error invalid_option", `(() => { const e = window.__e2e.messages.filter((m) => m.type === "docent:error" && m.data.code === "invalid_option");
		return e.length >= 2 ? e.map((m) => m.data.message).join("; ") : ""; })()`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errs, "accent") || !strings.Contains(errs, "theme_mode") {
		t.Errorf("docent:error messages = %q, want accent and theme_mode named", errs)
	}
	check("Second|ar|rtl|#008000|dark|ar|إرسال") // the invalid fields changed nothing
	// theme_mode auto follows the visitor's colour scheme, also when it changes.
	scheme := func(v string) {
		t.Helper()
		if err := chromedp.Do(frame.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}}})
			return err
		})); err != nil {
			t.Fatal(err)
		}
	}
	scheme("light")
	h.send(map[string]any{"mode": "customer", "user_id": 42, "theme_mode": "auto"})
	for _, v := range []string{"light", "dark", "light"} {
		scheme(v)
		if _, err := waitFor[bool](frame.ctx, "auto theme "+v, `document.documentElement.getAttribute("data-theme") === `+jsString(v)); err != nil {
			t.Fatal(err)
		}
	}
	reqs, err := frame.requests()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if strings.Contains(r.URL, "/widget/session/init") {
			t.Errorf("the same user's reopen must keep the session: %s", r)
		}
	}
}

// TestPM06_UntrustedTitleAndGreetingShownAsText: HTML in the loader's title
// and greeting is shown literally; nothing runs, no element is created.
func TestPM06_UntrustedTitleAndGreetingShownAsText(t *testing.T) {
	h, _ := openPersonaHost(t)
	title, greeting := `<img src=x onerror="document.title='pwned'">`, `<img src=x onerror=alert(1)> **hello** <script>alert(2)</script>`
	marker := h.load("pub", "", map[string]any{"mode": "public", "title": title, "greeting": greeting})
	frame := attachFrameURL(t, h.ctx, h.b, marker)
	got, err := eval[map[string]any](frame.ctx, `({ title: document.querySelector("[data-title]").textContent,
		greeting: document.querySelector('[data-kind="greeting"] [data-body]').textContent,
		elements: document.querySelectorAll("#docent-app img, #docent-app script").length, docTitle: document.title })`)
	if err != nil {
		t.Fatal(err)
	}
	if got["title"] != title || !strings.Contains(got["greeting"].(string), "<img src=x onerror=alert(1)>") ||
		!strings.Contains(got["greeting"].(string), "<script>alert(2)</script>") || got["elements"] != float64(0) || got["docTitle"] != title {
		t.Errorf("untrusted text was not shown as text: %v", got)
	}
}

// TestPM07_FramePostsOnlyToVerifiedParent spies on every postMessage the
// frame makes to its parent during a whole session: only chat-embed-ready
// goes to "*"; everything else to the verified origin; no payload carries a
// session id, a token or the transcript.
func TestPM07_FramePostsOnlyToVerifiedParent(t *testing.T) {
	h, _ := openPersonaHost(t)
	marker := h.load("qa", "", map[string]any{"mode": "test", "user_id": "qa-7"})
	frame := attachFrameURL(t, h.ctx, h.b, marker)
	if err := spyOnParent(frame); err != nil {
		t.Fatal(err)
	}
	// Reload the frame document itself: the new one starts under the spy.
	before := h.acks()
	if _, err := eval[bool](h.ctx, `(host.auto = { mode: "test", user_id: "qa-7" }, true)`); err != nil {
		t.Fatal(err)
	}
	if _, err := eval[bool](frame.ctx, `(location.reload(), true)`); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFrameAcks(h.ctx, before+1); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](frame.ctx, "the spied frame is ready", `!!window.__pm && document.querySelector('#docent-app[data-ready="true"]') !== null`); err != nil {
		t.Fatal(err)
	}
	if _, err := eval[bool](frame.ctx, instrumentFrameJS); err != nil {
		t.Fatal(err)
	}
	if s := chatTurn(t, frame, "How do I embed the widget?"); s != "complete" {
		t.Fatalf("reply ended %q", s)
	}
	calls, err := eval[[]postedCall](frame.ctx, `window.__pm`)
	if err != nil {
		t.Fatal(err)
	}
	reqs, err := frame.requests()
	if err != nil {
		t.Fatal(err)
	}
	session := ""
	for _, r := range reqs {
		if s := r.sessionOf(); s != "" {
			session = s
		}
	}
	if session == "" {
		t.Fatal("no session id seen in the frame's requests")
	}
	seen := map[string]bool{}
	for _, c := range calls {
		seen[c.Type] = true
		if (c.Target == "*") != (c.Type == "chat-embed-ready") || (c.Target != "*" && c.Target != h.origin()) {
			t.Errorf("%s posted to %q", c.Type, c.Target)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(c.JSON), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"session_id", "token", "identity_token", "assertion", "messages", "transcript"} {
			if _, ok := m[k]; ok {
				t.Errorf("%s carries %q: %s", c.Type, k, c.JSON)
			}
		}
		if strings.Contains(c.JSON, session) {
			t.Errorf("%s carries the session id", c.Type)
		}
	}
	// docent:message: the visitor's message once accepted, the reply once finished.
	var roles []string
	for _, c := range calls {
		if c.Type == "docent:message" {
			var m struct {
				Message struct{ ID, Role, Kind, Status, Text string }
			}
			_ = json.Unmarshal([]byte(c.JSON), &m)
			roles = append(roles, m.Message.Role+"/"+m.Message.Status)
			if m.Message.ID == "" || m.Message.Text == "" {
				t.Errorf("docent:message without id or text: %s", c.JSON)
			}
		}
	}
	if strings.Join(roles, ",") != "user/complete,assistant/complete" {
		t.Errorf("docent:message sequence = %v", roles)
	}
	for _, want := range []string{"chat-embed-ready", "chat-embed-ack", "docent:state", "docent:message"} {
		if !seen[want] {
			t.Errorf("the spy saw no %s (calls: %d)", want, len(calls))
		}
	}
}

// origin is the host page's origin.
func (h *personaHost) origin() string {
	h.t.Helper()
	o, err := eval[string](h.ctx, `location.origin`)
	if err != nil {
		h.t.Fatal(err)
	}
	return o
}

// TestFrameThreadAndContactIDs: contact_id names the visitor in the session
// init; thread_id resumes that conversation in a browser that kept nothing
// (another device, cleared storage); an unknown thread_id starts a new one;
// an agent_id the channel does not allow is reported to the parent.
func TestFrameThreadAndContactIDs(t *testing.T) {
	h, _ := openPersonaHost(t)
	frame := attachFrameURL(t, h.ctx, h.b, h.load("pub", "", nil))
	if err := chromedp.Do(frame.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: instrumentFrameJS})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	// restart reloads the frame document with empty storage, instrumented
	// from its first request, answered with payload; it returns the init.
	restart := func(payload map[string]any) frameRequest {
		t.Helper()
		before := h.acks()
		if _, err := eval[bool](h.ctx, `(host.auto = `+mustJSON(payload)+`, true)`); err != nil {
			t.Fatal(err)
		}
		if _, err := eval[bool](frame.ctx, `(localStorage.clear(), location.reload(), true)`); err != nil {
			t.Fatal(err)
		}
		if _, err := waitFrameAcks(h.ctx, before+1); err != nil {
			t.Fatal(err)
		}
		reqs, err := frame.waitRequests("the session init", `reqs.some((r) => r.url.includes("/widget/session/init") && r.done)`)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reqs {
			if strings.Contains(r.URL, "/widget/session/init") {
				return r
			}
		}
		panic("unreachable")
	}
	init := restart(map[string]any{"mode": "public", "contact_id": "crm-77"})
	if !strings.Contains(init.Req, `"contact_id":"crm-77"`) {
		t.Errorf("contact_id not sent: %s", init.Req)
	}
	if s := chatTurn(t, frame, "thread-5521: how do I embed the widget?"); s != "complete" {
		t.Fatalf("reply ended %q", s)
	}
	thread := init.Body.SessionID
	init = restart(map[string]any{"mode": "public", "thread_id": thread})
	if init.sessionOf() != thread || init.Body == nil || !init.Body.Resumed {
		t.Errorf("thread_id did not resume the conversation: %s", init)
	}
	if !mentions(mustTranscript(t, frame), "thread-5521") {
		t.Errorf("the resumed transcript lacks the question:%s", describe(mustTranscript(t, frame)))
	}
	init = restart(map[string]any{"mode": "public", "thread_id": strings.Repeat("A", 43)})
	if init.Body == nil || init.Body.Resumed || mentions(mustTranscript(t, frame), "thread-5521") {
		t.Errorf("an unknown thread_id must start a new conversation: %s", init)
	}
	// agent_id of an agent the channel does not allow: ignored, and the parent hears why.
	restart(map[string]any{"mode": "public", "agent_id": "someone-elses-agent"})
	if _, err := waitFor[bool](h.ctx, "docent:error agent_not_allowed", `window.__e2e.messages.some((m) => m.type === "docent:error" && m.data.code === "agent_not_allowed")`); err != nil {
		t.Fatal(err)
	}
}
