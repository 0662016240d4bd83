package e2e

// The persona handshake of PROTOCOL §3 driven by a host page's own script
// (testdata/frame/persona.html), one frame load per case: the persona
// matrix with valid and invalid user_ids, modes a channel does not serve,
// malformed messages, and a site the channel does not allow.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/docentchat/docent/internal/store"
)

// personaChannels are the channels of the persona tests, all allowing site.
func personaChannels(site string) []*testChannel {
	direct := func(key string, p store.Persona) *testChannel {
		return &testChannel{Key: key, Config: store.ChannelConfig{Title: "Persona " + string(p), Persona: p,
			IdentityMode: store.IdentityDirect, AllowedOrigins: []string{site}}}
	}
	return []*testChannel{
		{Key: "pub", Config: store.ChannelConfig{Title: "Public", Persona: store.PersonaPublic, AllowedOrigins: []string{site}}},
		direct("cust", store.PersonaCustomer),
		direct("emp", store.PersonaEmployee),
		direct("qa", store.PersonaTest),
		// Public without identity and without an allow-list: any site may frame it.
		{Key: "open", Config: store.ChannelConfig{Title: "Open", Persona: store.PersonaPublic}},
	}
}

// personaHost is the persona.html page of one test.
type personaHost struct {
	t     *testing.T
	ctx   context.Context
	b     *browser
	loads int
}

func openPersonaHost(t *testing.T) (*personaHost, *docentServer) {
	site := startFrameSite(t)
	docent := startDocentWith(t, 0, createChannels(personaChannels(site.Origin)...))
	site.setDocent(docent.URL)
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, 2*testTimeout)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate(site.Origin+"/persona")); err != nil {
		t.Fatal(err)
	}
	return &personaHost{t: t, ctx: ctx, b: b}, docent
}

// load (re)loads the frame of key with a unique query (plus extra) and
// waits for its first chat-embed-ready; auto is the payload the page answers
// readies with (nil: none). It returns the marker of this load.
func (h *personaHost) load(key, extra string, auto any) string {
	h.t.Helper()
	h.loads++
	marker := fmt.Sprintf("load=%d", h.loads)
	before, err := eval[int](h.ctx, `window.__e2e.readies.length`)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := eval[bool](h.ctx, fmt.Sprintf(`(host.auto = %s, host.load(%q, %q))`, mustJSON(auto), key, "?"+marker+extra)); err != nil {
		h.t.Fatal(err)
	}
	if _, err := waitFor[bool](h.ctx, "a new chat-embed-ready", fmt.Sprintf(`window.__e2e.readies.length > %d`, before)); err != nil {
		h.t.Fatal(err)
	}
	return marker
}

// nonce is the latest nonce the frame announced (in a ready or an ack).
func (h *personaHost) nonce() string {
	h.t.Helper()
	n, err := eval[string](h.ctx, `window.__e2e.messages.filter((m) => m.data.nonce).pop().data.nonce`)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *personaHost) acks() int {
	h.t.Helper()
	n, err := eval[int](h.ctx, `window.__e2e.acks.length`)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// send posts a config with the current nonce and returns the ack it gets.
func (h *personaHost) send(payload any) frameAck {
	h.t.Helper()
	n := h.acks()
	h.post(payload)
	acks, err := waitFrameAcks(h.ctx, n+1)
	if err != nil {
		h.t.Fatal(err)
	}
	return acks[n]
}

func (h *personaHost) post(payload any) {
	h.t.Helper()
	if _, err := eval[bool](h.ctx, fmt.Sprintf(`host.send(%s, %q)`, mustJSON(payload), h.nonce())); err != nil {
		h.t.Fatal(err)
	}
}

// TestPM01_PM04_PersonaMatrix: each persona mode with valid and invalid
// user_ids, a mode the channel does not serve, malformed payloads (ack
// {ok:false, error} and nothing applied), malformed messages and a site the
// channel does not admit for identities (no answer at all; a later valid
// config is acknowledged, so the frame was not broken). Refusals are counted
// in Docent's metrics. (PM-02's look-alike origins are refused by the
// browser's frame-ancestors before the frame could see them; the frame's own
// exact-match check is unit-tested in web/widget/test/handshake.test.ts.)
func TestPM01_PM04_PersonaMatrix(t *testing.T) {
	h, docent := openPersonaHost(t)
	acked := []struct {
		name, key string
		payload   any
		ok        bool
		want      string // ok: "identified/direct" or "anonymous"; refused: the error code
	}{
		{"customer, numeric id", "cust", map[string]any{"mode": "customer", "user_id": 42, "require_user_id": true, "allow_generated_id": false}, true, "identified/direct"},
		{"customer, id as digits", "cust", map[string]any{"mode": "customer", "user_id": "43"}, true, "identified/direct"},
		{"customer, letters", "cust", map[string]any{"mode": "customer", "user_id": "abc"}, false, "invalid_user_id"},
		{"customer, zero", "cust", map[string]any{"mode": "customer", "user_id": 0}, false, "invalid_user_id"},
		{"customer, fraction", "cust", map[string]any{"mode": "customer", "user_id": 1.5}, false, "invalid_user_id"},
		{"customer, leading zero", "cust", map[string]any{"mode": "customer", "user_id": "007"}, false, "invalid_user_id"},
		{"customer, no id", "cust", map[string]any{"mode": "customer", "require_user_id": true}, false, "invalid_user_id"},
		{"employee, numeric id", "emp", map[string]any{"mode": "employee", "user_id": 7, "require_user_id": true}, true, "identified/direct"},
		{"employee, negative", "emp", map[string]any{"mode": "employee", "user_id": -7}, false, "invalid_user_id"},
		{"public, fingerprint", "pub", map[string]any{"mode": "public", "user_id": "fp-9", "allow_generated_id": true}, true, "anonymous"},
		{"public, no id", "pub", map[string]any{"mode": "public"}, true, "anonymous"},
		{"test, optional id", "qa", map[string]any{"mode": "test", "user_id": "qa-1"}, true, "identified/direct"},
		{"test, no id", "qa", map[string]any{"mode": "test"}, true, "anonymous"},
		{"wrong mode: employee on a customer channel", "cust", map[string]any{"mode": "employee", "user_id": 5}, false, "persona_not_allowed"},
		{"wrong mode: customer on a public channel", "pub", map[string]any{"mode": "customer", "user_id": 5}, false, "persona_not_allowed"},
		{"unknown mode", "pub", map[string]any{"mode": "admin"}, false, "persona_not_allowed"},
		{"PM-04 payload is a string", "pub", "public", false, "bad_message"},
		{"PM-04 bad direction", "pub", map[string]any{"direction": "sideways"}, false, "bad_message"},
		{"PM-04 token of the wrong type", "pub", map[string]any{"identity_token": 5}, false, "bad_message"},
	}
	for _, tc := range acked {
		t.Run(tc.name, func(t *testing.T) {
			h.t = t
			h.load(tc.key, "", nil)
			a := h.send(tc.payload)
			if !nonceRE.MatchString(a.Nonce) {
				t.Errorf("ack without a fresh nonce: %+v", a)
			}
			switch {
			case a.OK != tc.ok:
				t.Errorf("ack = %+v, want ok=%t (%s)", a, tc.ok, tc.want)
			case tc.ok && a.SessionMode+"/"+a.Identity != tc.want && a.SessionMode != tc.want:
				t.Errorf("ack = %+v, want %s", a, tc.want)
			case !tc.ok && a.Error != tc.want:
				t.Errorf("ack = %+v, want error %s", a, tc.want)
			}
		})
	}
	h.t = t

	// Messages that get no answer at all: each is followed by a valid config
	// whose ack shows the frame handled it and is still fine.
	silent := []struct{ name, key, post string }{
		{"PM-01 a user_id from a site the channel does not list", "open", `host.send({ mode: "public", user_id: "42" }, NONCE)`},
		{"PM-04 data is a string", "pub", `host.raw("chat-embed-config")`},
		{"PM-04 data is null", "pub", `host.raw(null)`},
		{"PM-04 no type", "pub", `host.raw({ payload: { mode: "public" } })`},
		{"PM-04 unknown type", "pub", `host.raw({ type: "chat-embed-konfig", payload: { mode: "public" } })`},
		{"PM-05 a nonce that is not the current one", "pub", `host.send({ mode: "public" }, "0123456789abcdef0123456789abcdef")`},
	}
	for _, tc := range silent {
		h.load(tc.key, "", nil)
		before := h.acks()
		if _, err := eval[bool](h.ctx, strings.ReplaceAll(tc.post, "NONCE", jsString(h.nonce()))); err != nil {
			t.Fatal(err)
		}
		barrier := h.send(map[string]any{"mode": "public"})
		if n := h.acks(); n != before+1 || !barrier.OK || barrier.SessionMode != "anonymous" {
			t.Errorf("%s: want no answer, then the barrier's ok ack; got %d new ack(s), barrier %+v", tc.name, n-before, barrier)
		}
	}

	// PM-04: prototype keys and a 1 MB payload are read field by field.
	h.load("pub", "", nil)
	before := h.acks()
	if _, err := eval[bool](h.ctx, `host.raw(JSON.parse('{"type":"chat-embed-config","__proto__":{"polluted":1},"payload":{"mode":"public","constructor":{"prototype":{"polluted":1}},"pad":"`+strings.Repeat("x", 1<<20)+`"}}'))`); err != nil {
		t.Fatal(err)
	}
	if acks, err := waitFrameAcks(h.ctx, before+1); err != nil || !acks[before].OK {
		t.Fatalf("a huge payload with prototype keys: %v %+v", err, acks)
	}
	frame := attachFrameURL(t, h.ctx, h.b, fmt.Sprintf("load=%d", h.loads))
	if polluted, err := eval[bool](frame.ctx, `({}).polluted !== undefined || Object.prototype.hasOwnProperty("polluted")`); err != nil || polluted {
		t.Errorf("prototype polluted in the frame: %v %v", polluted, err)
	}

	// Refusals reach Docent's metrics (batched by the frame; a replaced frame flushes on pagehide).
	h.load("pub", "", nil)
	for _, reason := range []string{"invalid_user_id", "persona_not_allowed", "bad_message", "origin_not_allowed", "stale_nonce"} {
		waitMetric(t, h.ctx, docent.URL, `docent_widget_config_refused_total{reason="`+reason+`"}`, 1)
	}
}
