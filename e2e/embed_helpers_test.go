package e2e

// Helpers of the embedding tests (embed_*_test.go): the customer site that
// serves testdata/embed/ (and the adapted seed snippets in
// testdata/embed/seeds/) on its own origin with backend routes a test adds,
// a recorder every embed page includes (callbacks, errors and warnings land
// in window.__e2e), and reads of the loader's state as the host sees it.

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/docentchat/docent/internal/app"
	"github.com/docentchat/docent/internal/store"
)

var embedPages = template.Must(template.Must(template.ParseGlob("testdata/embed/*.html")).ParseGlob("testdata/embed/seeds/*.html"))

// embedSite is a customer's site (http://localhost:PORT, another site than
// Docent's 127.0.0.1): NAME.html of testdata/embed/ at /NAME and of
// testdata/embed/seeds/ at /seeds/NAME, executed with {Docent, Origin, Key,
// Q (the request's query values)} plus what set adds (a func() any value is
// called per request); /static/widget.js is
// a copy of Docent's loader served by the site itself (seed 004 hosts the
// script on its own server and points data-server at the backend).
type embedSite struct {
	Origin string
	mux    *http.ServeMux

	mu   sync.Mutex
	data map[string]any
}

func startEmbedSite(t *testing.T) *embedSite {
	t.Helper()
	s := &embedSite{mux: http.NewServeMux(), data: map[string]any{"Key": "demo"}}
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	s.mux.HandleFunc("GET /{page}", s.page)
	s.mux.HandleFunc("GET /seeds/{page}", s.page)
	s.mux.HandleFunc("GET /static/widget.js", func(w http.ResponseWriter, r *http.Request) {
		res, err := http.Get(s.get("Docent").(string) + "/widget.js")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = io.Copy(w, res.Body)
	})
	s.Origin = serveOtherSite(t, s.mux)
	s.set("Origin", s.Origin)
	return s
}

func (s *embedSite) set(key string, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[key] = v
}

func (s *embedSite) get(key string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data[key]
}

// handle adds a backend route (the site's own server code).
func (s *embedSite) handle(pattern string, h http.HandlerFunc) { s.mux.HandleFunc(pattern, h) }

func (s *embedSite) page(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("page")
	if strings.HasPrefix(r.URL.Path, "/seeds/") {
		name = "seed-" + name
	}
	page := embedPages.Lookup(name + ".html")
	if page == nil {
		http.NotFound(w, r)
		return
	}
	q := map[string]string{}
	for k, v := range r.URL.Query() {
		q[k] = v[0]
	}
	s.mu.Lock()
	data := map[string]any{"Q": q}
	for k, v := range s.data {
		data[k] = v
	}
	s.mu.Unlock()
	for k, v := range data {
		if f, ok := v.(func() any); ok {
			data[k] = f() // per request: a freshly minted token, say
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := page.Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// embedEvent is one entry of the page's recorder: a callback (who is the
// init that registered it), an error (code) or a console warning.
type embedEvent struct {
	Kind  string          `json:"kind"` // config | error | state | message | warn | resolved | rejected
	Who   string          `json:"who"`
	Code  string          `json:"code"`
	Value json.RawMessage `json:"value"`
}

func (e embedEvent) String() string {
	return fmt.Sprintf("%s/%s %s %s", e.Who, e.Kind, e.Code, e.Value)
}

func embedEvents(t *testing.T, ctx context.Context) []embedEvent {
	t.Helper()
	list, err := eval[[]embedEvent](ctx, `window.__e2e.events`)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// waitEvent waits until the recorder holds an event matching a JavaScript
// predicate over it (named e).
func waitEvent(t *testing.T, ctx context.Context, what, predicate string) {
	t.Helper()
	if _, err := waitFor[bool](ctx, what, `window.__e2e.events.some((e) => `+predicate+`)`); err != nil {
		t.Fatalf("%v; events: %v", err, embedEvents(t, ctx))
	}
}

// hostView is what the host page shows of the loader.
type hostView struct {
	Hosts    int     `json:"hosts"` // #docent-widget elements
	Launcher bool    `json:"launcher"`
	Label    string  `json:"label"`
	Expanded string  `json:"expanded"`
	Left     float64 `json:"left"` // launcher box
	Right    float64 `json:"right"`
	Bottom   float64 `json:"bottom"`
	Bg       string  `json:"bg"` // launcher background colour
	Fg       string  `json:"fg"`
	Z        string  `json:"z"`
	Img      string  `json:"img"` // custom launcher image src
	Iframes  int     `json:"iframes"`
	Frame    []int   `json:"frame"`    // iframe width, height
	Parent   string  `json:"parent"`   // id of the host element's parent
	Viewport []int   `json:"viewport"` // innerWidth, innerHeight
}

func readHost(t *testing.T, ctx context.Context) hostView {
	t.Helper()
	v, err := eval[hostView](ctx, `(() => {
		const hosts = document.querySelectorAll("#docent-widget");
		const host = hosts[0];
		const root = host && host.shadowRoot;
		const b = root && root.querySelector("[data-docent-launcher]");
		const f = root && root.querySelector("iframe");
		const out = { hosts: hosts.length, launcher: !!b, iframes: root ? root.querySelectorAll("iframe").length : 0,
			parent: host && host.parentElement ? host.parentElement.id || host.parentElement.tagName : "",
			viewport: [innerWidth, innerHeight], frame: [] };
		if (b) {
			const r = b.getBoundingClientRect(), s = getComputedStyle(b), img = b.querySelector("img");
			Object.assign(out, { label: b.getAttribute("aria-label"), expanded: b.getAttribute("aria-expanded"),
				left: r.left, right: innerWidth - r.right, bottom: innerHeight - r.bottom,
				bg: s.backgroundColor, fg: s.color, z: s.zIndex, img: img ? img.src : "" });
		}
		if (f && !f.hidden) { const r = f.getBoundingClientRect(); out.frame = [Math.round(r.width), Math.round(r.height)]; }
		return out;
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// frameText returns the text of the first element matching selector in the
// frame ("" when there is none).
func frameText(t *testing.T, f *widgetFrame, selector string) string {
	t.Helper()
	s, err := eval[string](f.ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.textContent.trim() : ""; })()`, selector))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// waitGreeting waits for the frame's greeting and returns its text.
func waitGreeting(t *testing.T, f *widgetFrame) string {
	t.Helper()
	g, err := waitFor[string](f.ctx, "the greeting", `(() => { const e = document.querySelector('[data-role="assistant"][data-kind="greeting"] [data-body]'); return e ? e.textContent.trim() : ""; })()`)
	if err != nil {
		t.Fatalf("%v; transcript:%s", err, describe(mustTranscript(t, f)))
	}
	return g
}

// attachKey attaches to the frame of channel key once the loader created it
// (open at load, inline, or after a click).
func attachKey(t *testing.T, ctx context.Context, b *browser, key string) *widgetFrame {
	t.Helper()
	f, err := attachFrame(ctx, b, key, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.cancel)
	return f
}

// sessionContact returns the external id of the contact the frame's kept
// (anonymous) session belongs to, read from Docent's store.
func sessionContact(t *testing.T, a *app.App, f *widgetFrame, key string) string {
	t.Helper()
	id, err := waitFor[string](f.ctx, "the kept session_id", fmt.Sprintf(`localStorage.getItem("docent:%s:session") || ""`, key))
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256([]byte(id))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := a.Store().SessionByTokenHash(ctx, h[:])
	if err != nil {
		t.Fatalf("session of the frame: %v", err)
	}
	c, err := a.Store().Contact(ctx, s.ContactID)
	if err != nil {
		t.Fatalf("contact of the session: %v", err)
	}
	if c.Kind != store.ContactAnonymous {
		t.Errorf("contact kind %q, want anonymous", c.Kind)
	}
	return c.ExternalID
}

// keepApp is a startDocentWith setup that hands the app to the test (for
// store reads) and then runs next, if any.
func keepApp(dst **app.App, next func(ctx context.Context, a *app.App, baseURL string) error) func(ctx context.Context, a *app.App, baseURL string) error {
	return func(ctx context.Context, a *app.App, baseURL string) error {
		*dst = a
		if next != nil {
			return next(ctx, a, baseURL)
		}
		return nil
	}
}

// openEmbed opens url in a fresh browser context of b (see openPage: before
// runs first, a phone's emulation say) and waits for the recorder of the
// embed pages.
func openEmbed(t *testing.T, b *browser, url string, before ...chromedp.Action[chromedp.Void]) context.Context {
	t.Helper()
	ctx := openPage(t, b, url, before...)
	if _, err := waitFor[bool](ctx, "the page's recorder", `!!window.__e2e`); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// do evaluates JavaScript in ctx (awaiting a promise) and fails the test on
// an error.
func do(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	if _, err := eval[any](ctx, js); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
}
