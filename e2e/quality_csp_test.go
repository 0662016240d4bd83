package e2e

// Host-page safety (issue 4 item 9): a page with a strict
// Content-Security-Policy (no inline script or style, only Docent's origin
// for scripts, frames and connections, optionally Trusted Types), and a page
// whose CSS fights every widget (resets, `button {all: unset}`, a wrapper at
// the largest z-index). TestWidgetHostPageIsolation covers footprint, hidden
// buttons and iframes and negative z-indexes; these add what it does not.

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// cspViolationsJS records every securitypolicyviolation of a document in
// window.__csp. It is installed through DevTools (before any page script),
// which the page's own CSP does not restrict.
const cspViolationsJS = `window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.effectiveDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "")));`

// strictHostCSP is the policy the embedding guide tells site owners with a
// strict CSP to add for Docent at origin D: scripts, the config.json fetch
// and the frame, nothing else (no inline style is needed).
func strictHostCSP(d string) string {
	return "default-src 'none'; script-src " + d + "; connect-src " + d + "; frame-src " + d +
		"; style-src 'none'; img-src 'none'; base-uri 'none'; form-action 'none'"
}

// TestStrictCSPHostPage: with that policy, and with Trusted Types enforced
// on top, the launcher renders styled, the widget opens, a question gets a
// complete answer, and neither the host page nor the frame reports a CSP
// violation.
func TestStrictCSPHostPage(t *testing.T) {
	docent := startDocent(t, 0)
	site := startQualitySite(t, docent.URL)
	for _, tc := range []struct{ name, policy string }{
		{"strict", strictHostCSP(docent.URL)},
		{"strict with trusted types", strictHostCSP(docent.URL) + "; require-trusted-types-for 'script'; trusted-types 'none'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t) // its own console log, read below
			site.setHeader("csp", "Content-Security-Policy", tc.policy)
			ctx := openPage(t, b, site.Origin+"/csp", addScriptOnNewDocument(cspViolationsJS))
			if err := waitLauncher(ctx); err != nil {
				t.Fatal(err)
			}
			styled, err := eval[string](ctx, `(() => { const b = document.getElementById("docent-widget").shadowRoot.querySelector("[data-docent-launcher]");
				const s = getComputedStyle(b); return s.position + " " + s.borderRadius + " " + s.width; })()`)
			if err != nil || styled != "fixed 50% 56px" {
				t.Errorf("launcher styles under a strict CSP: %q (%v), want the loader's own (fixed 50%% 56px)", styled, err)
			}
			frame := openWidget(t, ctx, b, docent.URL, nil)
			if status := chatTurn(t, frame, embedQuestion); status != "complete" {
				t.Errorf("answer status %q, want complete:%s", status, describe(mustTranscript(t, frame)))
			}
			violations, err := eval[[]string](ctx, `window.__csp`)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range violations {
				t.Errorf("host page CSP violation: %s", v)
			}
			for _, line := range strings.Split(b.console.String(), "\n") {
				if strings.Contains(line, "Content Security Policy") || strings.Contains(line, "Trusted Type") {
					t.Errorf("console: %s", line)
				}
			}
		})
	}
}

// addScriptOnNewDocument runs src in every document the tab loads, before
// the page's own scripts.
func addScriptOnNewDocument(src string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	})
}

// TestHostileCSSHostPage: on a page that resets every element, unsets
// buttons, hides every svg and span, empties every ::before, sets a 4 px root
// font and wraps everything in a div at z-index 2147483647, the launcher
// still looks like itself (its icon is a span and its ::before, drawn by the
// loader's stylesheet), is on top and opens on a real click; the open panel
// is on top where it matters.
func TestHostileCSSHostPage(t *testing.T) {
	docent := startDocent(t, 0)
	site := startQualitySite(t, docent.URL)
	b := newBrowser(t)
	ctx := openPage(t, b, site.Origin+"/hostile")
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	look, err := eval[string](ctx, `(() => { const b = document.getElementById("docent-widget").shadowRoot.querySelector("[data-docent-launcher]");
		const s = getComputedStyle(b), icon = b.querySelector("span"), i = getComputedStyle(icon), tail = getComputedStyle(icon, "::before");
		return [s.width, s.height, s.boxSizing, s.borderRadius, i.display, i.width, i.borderTopStyle, tail.content, tail.display].join(" "); })()`)
	const want = `56px 56px border-box 50% block 18px solid "" block`
	if err != nil || look != want {
		t.Errorf("launcher on a hostile page: %q (%v), want %q", look, err, want)
	}
	s, err := readLauncher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !s.OnTop {
		t.Fatalf("a page wrapper at z-index 2147483647 covers the launcher: %+v", s)
	}
	frame := openWidget(t, ctx, b, docent.URL, nil)
	onTop, err := eval[[]bool](ctx, `(() => {
		const host = document.getElementById("docent-widget");
		const r = host.shadowRoot.querySelector("iframe").getBoundingClientRect();
		return [[0.5, 0.5], [0.1, 0.95], [0.9, 0.95], [0.5, 0.05]].map(([fx, fy]) =>
			document.elementFromPoint(r.left + fx * r.width, r.top + fy * r.height) === host);
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	for i, ok := range onTop {
		if !ok {
			t.Errorf("the open panel is covered by the page at probe %d (centre, composer corners, header): %v", i, onTop)
			break
		}
	}
	if status := chatTurn(t, frame, embedQuestion); status != "complete" {
		t.Errorf("answer status %q on the hostile page", status)
	}
}
