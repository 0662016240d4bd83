package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// footprint is what the loader left in the host document, measured against
// the page's own source and against the globals its first script recorded.
type footprint struct {
	Added      []string `json:"added"`      // elements not in the page source: tag#id
	NewGlobals []string `json:"newGlobals"` // own enumerable window keys that appeared
	Sheets     int      `json:"sheets"`     // <style> and <link> elements now
	Source     int      `json:"source"`     // … in the page's own source
	Adopted    int      `json:"adopted"`    // constructable sheets adopted by the document
}

// footprintJS re-parses the page's own source to tell the loader's elements
// from the page's; window.__e2eBaseline is set by the first script of every
// host page in testdata/.
const footprintJS = `(async () => {
	const base = window.__e2eBaseline;
	const source = new DOMParser().parseFromString(await (await fetch(location.href)).text(), "text/html");
	const names = (doc) => Array.from(doc.querySelectorAll("*"), (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""));
	const remaining = names(source);
	const added = [];
	for (const n of names(document)) {
		const i = remaining.indexOf(n);
		if (i >= 0) remaining.splice(i, 1);
		else added.push(n);
	}
	return {
		added,
		newGlobals: Object.keys(window).filter((k) => !base.keys.includes(k) && k !== "__e2eBaseline"),
		sheets: document.querySelectorAll("style, link").length,
		source: source.querySelectorAll("style, link").length,
		adopted: document.adoptedStyleSheets.length,
	};
})()`

// TestWidgetHostPageIsolation checks the loader keeps to its shadow root: on
// a blank page and on one with hostile global CSS (resets, hidden buttons,
// negative z-index, hidden iframes) the launcher is visible and clickable
// with a real mouse click, the panel opens at a usable size and closes from
// inside the frame, and the host document gains one element, no stylesheet
// and no global besides Docent/DocentConfig.
func TestWidgetHostPageIsolation(t *testing.T) {
	docent := startDocent(t, 0)
	hostBase := startHostPages(t, docent.URL)
	b := newBrowser(t)
	allowedGlobals := []string{"Docent", "DocentConfig"}

	for _, page := range []string{"blank", "hostile"} {
		t.Run(page, func(t *testing.T) {
			tab, closeTab := chromedp.NewContext(b.tab)
			defer closeTab()
			ctx, cancel := context.WithTimeout(tab, testTimeout)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.Navigate(hostBase+"/"+page)); err != nil {
				t.Fatalf("open %s: %v", page, err)
			}
			b.recordConsole(ctx, page)
			if err := waitLauncher(ctx); err != nil {
				t.Fatal(err)
			}
			fp, err := eval[footprint](ctx, footprintJS)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(fp.Added, []string{"div#docent-widget"}) {
				t.Errorf("the loader added %v to the host document, want only [div#docent-widget]", fp.Added)
			}
			if fp.Sheets != fp.Source || fp.Adopted != 0 {
				t.Errorf("host document stylesheets: %d <style>/<link> (page source has %d), %d adopted; the loader must add none", fp.Sheets, fp.Source, fp.Adopted)
			}
			if !slices.Contains(fp.NewGlobals, "Docent") {
				t.Errorf("window.Docent missing; new globals: %v", fp.NewGlobals)
			}
			for _, g := range fp.NewGlobals {
				if !slices.Contains(allowedGlobals, g) {
					t.Errorf("the loader leaked the global %q (allowed: %v)", g, allowedGlobals)
				}
			}

			s, err := clickLauncher(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if s.Display == "none" || s.Width < 24 || s.Height < 24 {
				t.Errorf("launcher rendered %+v, want a visible button", s)
			}
			if err := waitExpanded(ctx, true); err != nil {
				t.Fatal(err)
			}
			if s, err = readLauncher(ctx); err != nil {
				t.Fatal(err)
			}
			if len(s.FrameBox) != 2 || s.FrameBox[0] < 300 || s.FrameBox[1] < 300 {
				t.Errorf("open panel's iframe renders at %v, want at least 300×300", s.FrameBox)
			}
			frame, err := attachFrame(ctx, b, "demo", "")
			if err != nil {
				t.Fatal(err)
			}
			defer frame.cancel()
			// The close button asks the loader (postMessage to the verified parent) to hide the panel.
			if err := chromedp.Do(frame.ctx, chromedp.Click(chromedp.CSS(`[data-action="close"]`))); err != nil {
				t.Fatalf("click close in the frame: %v", err)
			}
			if err := waitExpanded(ctx, false); err != nil {
				t.Fatal(err)
			}
			if _, err := clickLauncher(ctx); err != nil {
				t.Fatalf("reopen: %v", err)
			}
			if err := waitExpanded(ctx, true); err != nil {
				t.Fatal(err)
			}
			if s, err := readLauncher(ctx); err != nil || s.Iframes != 1 {
				t.Errorf("reopening must reuse the one iframe, got %+v (%v)", s, err)
			}
		})
	}
}
