package e2e

// Helpers of the quality tests (quality_*_test.go): the host site that
// serves testdata/quality/ with per-page response headers, the axe-core
// accessibility scanner injected into the host page and into the widget
// frame, and WCAG contrast arithmetic.

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

var qualityPages = template.Must(template.ParseGlob("testdata/quality/*.html"))

// qualitySite serves testdata/quality/NAME.html at /NAME on its own origin
// (http://localhost:PORT, another site than Docent's 127.0.0.1). Pages are
// templates executed with {Docent, Q: the request's query values}, so a test
// varies a page through its URL (?accent=…&lang=…). headers adds response
// headers per page (a Content-Security-Policy, say).
type qualitySite struct {
	Origin  string
	docent  string
	mu      sync.Mutex
	headers map[string]http.Header
}

func startQualitySite(t *testing.T, docentURL string) *qualitySite {
	t.Helper()
	s := &qualitySite{docent: docentURL, headers: map[string]http.Header{}}
	s.Origin = serveOtherSite(t, http.HandlerFunc(s.serve))
	return s
}

// setHeader sets a response header of one page.
func (s *qualitySite) setHeader(page, name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.headers[page] == nil {
		s.headers[page] = http.Header{}
	}
	s.headers[page].Set(name, value)
}

func (s *qualitySite) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/favicon.ico" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	page := qualityPages.Lookup(name + ".html")
	if page == nil {
		http.NotFound(w, r)
		return
	}
	q := map[string]string{}
	for k, v := range r.URL.Query() {
		q[k] = v[0]
	}
	s.mu.Lock()
	for k, v := range s.headers[name] {
		w.Header()[k] = v
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := page.Execute(w, map[string]any{"Docent": s.docent, "Q": q}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// openPage opens url in a new tab of b in a fresh browser context (its own
// cookies and storage: no session carries over between subtests), bounded by
// testTimeout, after running before on the blank tab (emulation, say), and
// records its console. The tab closes when the test ends.
func openPage(t *testing.T, b *browser, url string, before ...chromedp.Action[chromedp.Void]) context.Context {
	t.Helper()
	tab, closeTab := chromedp.NewContext(b.tab, chromedp.WithNewBrowserContext())
	ctx, cancel := context.WithTimeout(tab, testTimeout)
	t.Cleanup(func() { cancel(); closeTab() })
	if err := chromedp.Do(ctx, before...); err != nil {
		t.Fatalf("prepare the tab: %v", err)
	}
	b.recordConsole(ctx, "host")
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return ctx
}

// axeSource is the vendored axe-core (make axe refreshes it from npm at the
// version pinned in testdata/quality/axe/VERSION). Missing: a loud skip on a
// developer machine, a failure under CI=true.
func axeSource(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("testdata", "quality", "axe")
	src, err := os.ReadFile(filepath.Join(dir, "axe.min.js"))
	version, verr := os.ReadFile(filepath.Join(dir, "VERSION"))
	if err != nil || verr != nil {
		msg := fmt.Sprintf("SKIPPING ACCESSIBILITY SCANS: axe-core missing in %s (run `make axe`): %v %v", dir, err, verr)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: the scans must run in CI)")
		}
		t.Skip(msg)
	}
	want := "axe v" + strings.TrimSpace(string(version))
	if !strings.Contains(string(src[:min(len(src), 200)]), want) {
		t.Fatalf("%s/axe.min.js is not %s (VERSION says so): run `make axe`", dir, want)
	}
	return string(src)
}

// axeViolation is one failed axe rule with the nodes it failed on.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "%s [%s] %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&s, "\n      at %v: %s\n        %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n        "))
	}
	return s.String()
}

// axeScan injects axe-core into the document of ctx (a host page or the
// widget frame's own target: axe must run inside the cross-site frame, it
// cannot see into it from the host) and runs the WCAG 2.x A/AA rules on the
// elements matching include (the whole document when empty; open shadow
// roots are scanned). iframes:false: each document is scanned on its own.
// DevTools evaluation is not subject to the page's CSP.
func axeScan(ctx context.Context, src, include string) ([]axeViolation, error) {
	loaded, err := eval[bool](ctx, `typeof window.axe === "object"`)
	if err != nil {
		return nil, err
	}
	if !loaded {
		if _, err := eval[bool](ctx, src+"\n;typeof window.axe === \"object\""); err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", err)
		}
	}
	context := "document"
	if include != "" {
		context = `{ include: [` + jsString(include) + `] }`
	}
	return eval[[]axeViolation](ctx, `axe.run(`+context+`, {
		iframes: false,
		resultTypes: ["violations"],
		runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
	}).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300), failureSummary: n.failureSummary || "" })) })))`)
}

// severe keeps the serious and critical violations: those fail a test; the
// others are logged.
func severe(t *testing.T, where string, list []axeViolation) []axeViolation {
	t.Helper()
	var out []axeViolation
	for _, v := range list {
		if v.Impact == "serious" || v.Impact == "critical" {
			out = append(out, v)
		} else {
			t.Logf("%s: minor axe finding: %s", where, v)
		}
	}
	return out
}

// requireAxeClean fails the test for every serious or critical violation in
// the document of ctx.
func requireAxeClean(t *testing.T, ctx context.Context, src, where, include string) {
	t.Helper()
	list, err := axeScan(ctx, src, include)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	for _, v := range severe(t, where, list) {
		t.Errorf("%s: axe %s", where, v)
	}
}

// contrast is the WCAG 2.x contrast ratio of two sRGB colours given as
// [r, g, b] in 0..255.
func contrast(a, b [3]float64) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c [3]float64) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v := c[i] / 255
		if v <= 0.04045 {
			v /= 12.92
		} else {
			v = math.Pow((v+0.055)/1.055, 2.4)
		}
		l += w * v
	}
	return l
}

// rgbJS is a JavaScript function that turns any CSS colour into [r, g, b]
// (through a canvas, which normalises named and hex colours alike).
const rgbJS = `((c) => { const x = document.createElement("canvas").getContext("2d");
	x.fillStyle = "#010203"; x.fillStyle = c; x.fillRect(0, 0, 1, 1);
	return Array.from(x.getImageData(0, 0, 1, 1).data.slice(0, 3)); })`
