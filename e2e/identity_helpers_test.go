package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/docentchat/docent/internal/app"
	"github.com/docentchat/docent/internal/channels"
	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
)

// testChannel is a channel a test creates and publishes before Docent
// serves; Secrets holds what creating it printed once (the signing secret
// host backends sign with, the app secret of the token exchange).
type testChannel struct {
	Key     string
	Config  store.ChannelConfig
	Secrets channels.Secrets
	// ExchangeKey is filled for exchange channels: what Docent signs exchange
	// tokens with, so a test can mint an already-expired one.
	ExchangeKey []byte
}

// createChannels returns a startDocentWith setup that creates and publishes
// chs through channel administration (the code path of `docent channel
// create --publish`), answering with the demo agent.
func createChannels(chs ...*testChannel) func(ctx context.Context, a *app.App, baseURL string) error {
	return func(ctx context.Context, a *app.App, _ string) error {
		demo, err := a.Store().Channel(ctx, app.DemoChannelKey)
		if err != nil {
			return fmt.Errorf("demo channel: %w", err)
		}
		for _, c := range chs {
			cfg := c.Config
			cfg.AgentID = demo.Draft.AgentID
			_, sec, err := a.Channels().Create(ctx, c.Key, cfg)
			if err != nil {
				return fmt.Errorf("create %s: %w", c.Key, err)
			}
			if _, err := a.Channels().Publish(ctx, c.Key); err != nil {
				return fmt.Errorf("publish %s: %w", c.Key, err)
			}
			c.Secrets = sec
			if cfg.IdentityMode == store.IdentityExchange {
				c.ExchangeKey = a.Channels().ExchangeKey(c.Key)
			}
		}
		return nil
	}
}

// hostSite is a customer's site on its own origin (http://localhost:PORT):
// the pages of testdata/identity/ (NAME.html at /NAME) and whatever backend
// routes a test adds with handle. Pages are templates executed with the
// site's data merged with what the test's render hook adds per request
// (e.g. an identity token the "server-rendered" page embeds).
type hostSite struct {
	Origin string
	mux    *http.ServeMux

	mu     sync.Mutex
	data   map[string]any
	render func(r *http.Request, data map[string]any)
}

var identityPages = template.Must(template.ParseGlob("testdata/identity/*.html"))

func startHostSite(t *testing.T) *hostSite {
	t.Helper()
	s := &hostSite{mux: http.NewServeMux(), data: map[string]any{}}
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	s.mux.HandleFunc("GET /{page}", s.page)
	s.Origin = serveOtherSite(t, s.mux)
	return s
}

// startIdentitySite serves the identity pages (testdata/identity) on
// another site, with a Docent that knows ch, allowed on that site. Its pages
// get Docent's URL and the key; the channel's signing secret is kept for the
// site's own backend (serveAssertions), never rendered.
func startIdentitySite(t *testing.T, ch *testChannel) (*hostSite, *docentServer) {
	t.Helper()
	site := startHostSite(t)
	ch.Config.AllowedOrigins = append(ch.Config.AllowedOrigins, site.Origin)
	docent := startDocentWith(t, 0, createChannels(ch))
	site.set("Docent", docent.URL)
	site.set("Key", ch.Key)
	site.set("Secret", ch.Secrets.Signing)
	return site, docent
}

// serveAssertions is the site's backend signing single-use assertions
// (PROTOCOL §6.2) for the user named by ?user=, with the channel secret,
// which stays there; issued, when given, sees each one.
func serveAssertions(t *testing.T, site *hostSite, slug string, issued func(assertion string)) {
	site.handle("POST /api/assertion", func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().Unix()
		claims := map[string]any{"sub": r.URL.Query().Get("user"), "channel_slug": slug, "iat": now, "exp": now + 240, "jti": randomHex(t)}
		assertion := identity.SignAssertion([]byte(site.get("Secret").(string)), claims)
		if issued != nil {
			issued(assertion)
		}
		writeJSONBody(w, map[string]string{"assertion": assertion})
	})
}

// set adds template data for every page of the site.
func (s *hostSite) set(key string, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[key] = v
}

// onRender sets a hook that adds per-request template data.
func (s *hostSite) onRender(f func(r *http.Request, data map[string]any)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.render = f
}

// handle adds a backend route (the host's own server code).
func (s *hostSite) handle(pattern string, h http.HandlerFunc) { s.mux.HandleFunc(pattern, h) }

func (s *hostSite) page(w http.ResponseWriter, r *http.Request) {
	page := identityPages.Lookup(r.PathValue("page") + ".html")
	if page == nil {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	data := map[string]any{"Origin": s.Origin}
	for k, v := range s.data {
		data[k] = v
	}
	render := s.render
	s.mu.Unlock()
	if render != nil {
		render(r, data)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := page.Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func writeJSONBody(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

// consoleWaiter signals when a console message (including browser log
// entries such as CSP violations) of a target contains a substring.
func consoleWaiter(ctx context.Context, part string) <-chan string {
	found := make(chan string, 1)
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if s := fmt.Sprint(m); strings.Contains(s, part) {
				found <- s
				return
			}
		}
	}()
	return found
}

// get reads template data set with set (backend handlers use it: they run
// on the server's goroutines).
func (s *hostSite) get(key string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data[key]
}

// instrumentFrameJS records, inside the widget frame, every request the
// frame makes (URL, the Authorization it carried, status, and the body of
// session inits) and every docent:token the parent hands it. Tests read it
// as window.__e2e. It wraps fetch after the frame's first requests, so it
// sees what happens from then on.
const instrumentFrameJS = `(() => {
	if (window.__e2e) return true;
	const log = (window.__e2e = { requests: [], tokens: [] });
	const real = window.fetch;
	window.fetch = async (url, init) => {
		const h = (init && init.headers) || {};
		const req = init && typeof init.body === "string" ? init.body : "";
		const entry = { url: String(url), auth: h.Authorization || "", req, status: 0, body: null, done: false };
		log.requests.push(entry);
		try {
			const r = await real(url, init);
			entry.status = r.status;
			if (entry.url.includes("/widget/session/")) r.clone().json().then((j) => { entry.body = j; entry.done = true; }, () => { entry.done = true; });
			else entry.done = true;
			return r;
		} catch (e) {
			entry.done = true;
			throw e;
		}
	};
	addEventListener("message", (e) => {
		if (e.source === parent && e.data && e.data.type === "docent:token") log.tokens.push(e.data.token || "");
	});
	return true;
})()`

// frameRequest is one request the instrumented frame made.
type frameRequest struct {
	URL    string `json:"url"`
	Auth   string `json:"auth"`
	Req    string `json:"req"` // the JSON request body
	Status int    `json:"status"`
	Done   bool   `json:"done"`
	Body   *struct {
		SessionID string `json:"session_id"`
		Resumed   bool   `json:"resumed"`
		Identity  struct {
			Status string `json:"status"`
			UserID string `json:"user_id"`
		} `json:"identity"`
	} `json:"body"`
}

func (r frameRequest) String() string {
	auth := "-"
	if r.Auth != "" {
		auth = "Bearer …" + r.Auth[max(0, len(r.Auth)-8):]
	}
	s := fmt.Sprintf("%s %d auth=%s", r.URL, r.Status, auth)
	if r.Body != nil {
		s += fmt.Sprintf(" identity=%s/%s resumed=%t", r.Body.Identity.Status, r.Body.Identity.UserID, r.Body.Resumed)
	}
	return s
}

// requests returns what the instrumented frame has requested so far.
func (f *widgetFrame) requests() ([]frameRequest, error) {
	return eval[[]frameRequest](f.ctx, `window.__e2e.requests`)
}

// openKey clicks the launcher, attaches to the frame of channel key and
// instruments it. The frame may be in a "please sign in" state: attachFrame
// waits for data-ready only.
func openKey(t *testing.T, ctx context.Context, b *browser, key string) *widgetFrame {
	t.Helper()
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	if err := waitExpanded(ctx, true); err != nil {
		t.Fatal(err)
	}
	frame, err := attachFrame(ctx, b, key, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(frame.cancel)
	if _, err := eval[bool](frame.ctx, instrumentFrameJS); err != nil {
		t.Fatal(err)
	}
	return frame
}

// sessionOf is the session_id a request body carried.
func (r frameRequest) sessionOf() string {
	var body struct {
		SessionID string `json:"session_id"`
	}
	_ = json.Unmarshal([]byte(r.Req), &body)
	return body.SessionID
}

// waitRequests waits until the frame's request log satisfies a JavaScript
// predicate over it (named reqs), then returns the log.
func (f *widgetFrame) waitRequests(what, predicate string) ([]frameRequest, error) {
	if _, err := waitFor[bool](f.ctx, what, `((reqs) => !!(`+predicate+`))(window.__e2e.requests)`); err != nil {
		list, _ := f.requests()
		return list, fmt.Errorf("%w; frame requests:%s", err, describeRequests(list))
	}
	return f.requests()
}

func describeRequests(list []frameRequest) string {
	var s strings.Builder
	for i, r := range list {
		fmt.Fprintf(&s, "\n  %d. %s", i, r)
	}
	return s.String()
}

// lastInit is the newest session init in list, or nil.
func lastInit(list []frameRequest) *frameRequest {
	for i := len(list) - 1; i >= 0; i-- {
		if strings.Contains(list[i].URL, "/widget/session/init") {
			return &list[i]
		}
	}
	return nil
}

// lastInitDone is a waitRequests predicate: the newest session init has
// completed, and (if user is not empty) identified user, else a guest.
func lastInitDone(user string) string {
	status := `r.body.identity.status !== "verified" && r.body.identity.status !== "direct"`
	if user != "" {
		status = fmt.Sprintf(`r.body.identity.status === "verified" && r.body.identity.user_id === %q`, user)
	}
	return `(() => { const r = reqs.filter((x) => x.url.includes("/widget/session/init")).pop();
		return r && r.done && r.status === 200 && r.body && (` + status + `); })()`
}

// waitIdentity waits until the frame shows identity want (data-identity).
func (f *widgetFrame) waitIdentity(want string) error {
	_, err := waitFor[bool](f.ctx, "data-identity="+want,
		fmt.Sprintf(`document.getElementById("docent-app").getAttribute("data-identity") === %q`, want))
	return err
}

// waitHostIdentity waits until the loader's getState() reports want.
func waitHostIdentity(ctx context.Context, want string) error {
	_, err := waitFor[bool](ctx, "Docent.getState().identity="+want,
		fmt.Sprintf(`!!window.Docent && !!Docent.getState && Docent.getState().identity === %q`, want))
	return err
}

// hostAck is a chat-embed-ack as the host page received it.
type hostAck struct {
	Origin      string `json:"origin"`
	OK          bool   `json:"ok"`
	SessionMode string `json:"session_mode"`
	Identity    string `json:"identity"`
	Error       string `json:"error"`
}

// waitAcks waits until the host page has received n acks and returns them.
func waitAcks(ctx context.Context, n int) ([]hostAck, error) {
	if _, err := waitFor[bool](ctx, fmt.Sprintf("%d chat-embed-ack", n), fmt.Sprintf(`window.__e2e.acks.length >= %d`, n)); err != nil {
		return nil, err
	}
	return eval[[]hostAck](ctx, `window.__e2e.acks`)
}

// chatTurn sends text in the frame and waits for the reply to end; it
// returns the reply's status.
func chatTurn(t *testing.T, f *widgetFrame, text string) string {
	t.Helper()
	before := count(mustTranscript(t, f), isAssistant)
	if err := f.send(text); err != nil {
		t.Fatalf("send %q: %v", text, err)
	}
	status, err := f.waitReply(before)
	if err != nil {
		t.Fatalf("%v; transcript:%s", err, describe(mustTranscript(t, f)))
	}
	return status
}

// mentions reports whether any bubble's text contains part.
func mentions(list []bubble, part string) bool {
	for _, b := range list {
		if strings.Contains(b.Text, part) {
			return true
		}
	}
	return false
}

// mustJSON encodes v as a JavaScript literal (JSON is a subset).
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// canaries collects the secrets, tokens and session ids a test handled, so
// it can check that none of them reached Docent's log (SECURITY AD-02).
type canaries struct {
	mu   sync.Mutex
	list []string
}

func (c *canaries) add(values ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range values {
		if len(v) >= 16 { // shorter values could match by chance
			c.list = append(c.list, v)
		}
	}
}

// notLogged fails the test for every canary in the server's log.
func (c *canaries) notLogged(t *testing.T, docent *docentServer) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	logs := docent.logs.String()
	for _, v := range c.list {
		if strings.Contains(logs, v) {
			t.Errorf("Docent logged a secret, token or session id: …%s", v[len(v)-6:])
		}
	}
	if len(c.list) == 0 {
		t.Error("no canaries collected")
	}
}
