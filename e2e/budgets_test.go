package e2e

import (
	"context"
	"testing"

	"github.com/docentchat/docent/web/webbuild"
)

// transfer is what Chromium's resource timing says of one download.
type transfer struct {
	Name    string  `json:"name"`
	Encoded float64 `json:"encoded"`
	Decoded float64 `json:"decoded"`
}

// transfersJS lists the resource timing entries whose URL matches a pattern.
const transfersJS = `((re) => performance.getEntriesByType("resource").filter((e) => re.test(e.name))
	.map((e) => ({ name: e.name, encoded: e.encodedBodySize, decoded: e.decodedBodySize })))`

// TestBudgetsOverTheWire cross-checks G1 and G2 (PERFORMANCE.md) in Chromium:
// what a visitor's browser downloads, by encodedBodySize, not only what the
// build produces. The loader as the host page fetched it, and what opening
// fetched (the loader's open half on the host page, the frame's JS and CSS
// in the frame), are compressed and within budget.
func TestBudgetsOverTheWire(t *testing.T) {
	docent := startDocent(t, 0)
	hostBase := startHostPages(t, docent.URL)
	b := newBrowser(t)
	ctx, cancel := context.WithTimeout(b.tab, testTimeout)
	defer cancel()
	loadHostPage(t, ctx, hostBase+"/host")
	loader, err := eval[[]transfer](ctx, transfersJS+`(/\/widget\.js\?key=demo$/)`)
	if err != nil || len(loader) != 1 {
		t.Fatalf("the host page's resource timing of widget.js: %v, %v", loader, err)
	}
	checkTransfers(t, "G1 widget.js", loader, webbuild.LoaderBudgetGzip)

	frame := openWidget(t, ctx, b, docent.URL, nil)
	if _, err := waitFor[bool](frame.ctx, "the frame ready", `document.getElementById("docent-app").dataset.ready === "true"`); err != nil {
		t.Fatal(err)
	}
	bundles, err := eval[[]transfer](frame.ctx, transfersJS+`(/\/static\/widget\/frame\.(js|css)\?v=/)`)
	if err != nil || len(bundles) != 2 {
		t.Fatalf("the frame's resource timing of frame.js and frame.css: %v, %v", bundles, err)
	}
	half, err := eval[[]transfer](ctx, transfersJS+`(/\/static\/widget\/loader-open\.js\?v=/)`)
	if err != nil || len(half) != 1 {
		t.Fatalf("the host page's resource timing of the loader's open half: %v, %v", half, err)
	}
	checkTransfers(t, "G2 loader-open.js + frame.js + frame.css", append(half, bundles...), webbuild.FrameBudgetGzip)
}

// checkTransfers fails when the downloads were not compressed or their
// encoded sizes add up to more than budget bytes.
func checkTransfers(t *testing.T, what string, list []transfer, budget int) {
	t.Helper()
	total := 0.0
	for _, x := range list {
		if x.Encoded <= 0 || x.Encoded >= x.Decoded {
			t.Errorf("%s: %s came over the wire as %v bytes for %v decoded: not compressed", what, x.Name, x.Encoded, x.Decoded)
		}
		total += x.Encoded
	}
	t.Logf("%s: %v bytes over the wire (budget %d): %+v", what, total, budget, list)
	if total > float64(budget) {
		t.Errorf("%s: %v bytes over the wire, over the %d byte budget", what, total, budget)
	}
}
