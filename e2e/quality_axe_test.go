package e2e

// Accessibility scans (issue 4 item 7, WCAG 2.2 AA): axe-core, injected into
// the host page and into the cross-site widget frame, finds no serious or
// critical violation in the launcher, open panel, inline and RTL states; and
// the theme colour never makes the launcher or the panel header unreadable.

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestA11yAxeScans scans every state a visitor meets. The inline and RTL
// rows depend on the loader's inline mode and the frame's RTL layout.
func TestA11yAxeScans(t *testing.T) {
	src := axeSource(t)
	docent := startDocent(t, 0)
	site := startQualitySite(t, docent.URL)
	b := newBrowser(t)

	cases := []struct {
		name     string
		page     string
		open     bool   // click the launcher first
		chat     bool   // have one exchange before scanning the frame again
		dir      string // the frame's expected direction
		inlineIn string // inline mode: the host container the frame must render in
		phone    bool   // a 375×667 touch phone: the panel is full screen
	}{
		{name: "launcher closed", page: "/launcher"},
		{name: "panel open", page: "/launcher", open: true, chat: true, dir: "ltr"},
		{name: "inline", page: "/inline", inlineIn: "#chat", dir: "ltr", chat: true},
		{name: "rtl arabic", page: "/locale?lang=ar&dir=rtl", open: true, chat: true, dir: "rtl"},
		{name: "dark theme", page: "/locale?lang=en&theme=dark&accent=%23ffd400", open: true, chat: true, dir: "ltr"},
		{name: "phone", page: "/launcher", open: true, chat: true, dir: "ltr", phone: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var before []chromedp.Action[chromedp.Void]
			if tc.phone {
				before = append(before, phone(phoneH))
			}
			ctx := openPage(t, b, site.Origin+tc.page, before...)
			if tc.inlineIn == "" {
				if err := waitLauncher(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if tc.open {
				if _, err := clickLauncher(ctx); err != nil {
					t.Fatal(err)
				}
				if err := waitExpanded(ctx, true); err != nil {
					t.Fatal(err)
				}
			}
			requireAxeClean(t, ctx, src, "host page", "")
			if !tc.open && tc.inlineIn == "" {
				return
			}
			frame, err := attachFrame(ctx, b, "demo", "")
			if err != nil {
				t.Fatal(err)
			}
			defer frame.cancel()
			if tc.inlineIn != "" {
				checkInlinePlacement(t, ctx, tc.inlineIn)
			}
			dir, err := eval[string](frame.ctx, `getComputedStyle(document.getElementById("docent-app")).direction`)
			if err != nil || dir != tc.dir {
				t.Errorf("frame layout direction = %q (%v), want %q", dir, err, tc.dir)
			}
			requireAxeClean(t, frame.ctx, src, "frame", "")
			if tc.chat {
				chatTurn(t, frame, embedQuestion)
				requireAxeClean(t, frame.ctx, src, "frame after an answer", "")
			}
		})
	}
}

// checkInlinePlacement checks inline mode: no launcher, and the widget's
// iframe renders inside the host's container (in its light DOM or in a
// shadow root the loader attached there), filling it.
func checkInlinePlacement(t *testing.T, ctx context.Context, container string) {
	t.Helper()
	type placement struct {
		Launchers int     `json:"launchers"`
		Inside    bool    `json:"inside"`
		Container [2]int  `json:"container"`
		Frame     [2]int  `json:"frame"`
		Fill      float64 `json:"fill"`
	}
	p, err := eval[placement](ctx, fmt.Sprintf(`(() => {
		const box = document.querySelector(%s);
		const roots = [document, ...Array.from(document.querySelectorAll("*"), (e) => e.shadowRoot).filter(Boolean)];
		const frames = roots.flatMap((r) => Array.from(r.querySelectorAll("iframe")));
		const f = frames.find((f) => box.contains(f) || box.contains(f.getRootNode().host || null));
		const br = box.getBoundingClientRect(), fr = f ? f.getBoundingClientRect() : { width: 0, height: 0 };
		return {
			launchers: roots.reduce((n, r) => n + r.querySelectorAll("[data-docent-launcher]").length, 0),
			inside: !!f,
			container: [Math.round(br.width), Math.round(br.height)],
			frame: [Math.round(fr.width), Math.round(fr.height)],
			fill: (fr.width * fr.height) / (br.width * br.height),
		};
	})()`, jsString(container)))
	if err != nil {
		t.Fatal(err)
	}
	if p.Launchers != 0 || !p.Inside || p.Fill < 0.9 {
		t.Errorf("inline mode: want the chat inside %s filling it and no launcher, got %+v", container, p)
	}
}

// colours is what a test reads of an element: its text and background as
// [r, g, b].
type colours struct {
	Fg [3]float64 `json:"fg"`
	Bg [3]float64 `json:"bg"`
}

// TestA11yThemeColourContrast: whatever baseColor a site picks, the launcher
// shows it and its icon colour contrasts ≥ 4.5:1 with it; the panel header
// (title on the theme colour) too.
func TestA11yThemeColourContrast(t *testing.T) {
	docent := startDocent(t, 0)
	site := startQualitySite(t, docent.URL)
	b := newBrowser(t)
	for _, accent := range []string{"", "#ffff00", "#000000", "green", "#777777", "#f60"} {
		name := accent
		if name == "" {
			name = "default"
		}
		t.Run(name, func(t *testing.T) {
			ctx := openPage(t, b, site.Origin+"/launcher?accent="+url.QueryEscape(accent))
			if err := waitLauncher(ctx); err != nil {
				t.Fatal(err)
			}
			var want [3]float64
			if accent != "" {
				w, err := eval[[3]float64](ctx, rgbJS+`(`+jsString(accent)+`)`)
				if err != nil {
					t.Fatal(err)
				}
				want = w
			}
			launcher, err := eval[colours](ctx, `(() => {
				const b = document.getElementById("docent-widget").shadowRoot.querySelector("[data-docent-launcher]");
				const s = getComputedStyle(b), rgb = `+rgbJS+`;
				return { fg: rgb(s.color), bg: rgb(s.backgroundColor) };
			})()`)
			if err != nil {
				t.Fatal(err)
			}
			checkColours(t, "launcher icon on its background", launcher, accent, want)

			if _, err := clickLauncher(ctx); err != nil {
				t.Fatal(err)
			}
			frame, err := attachFrame(ctx, b, "demo", "")
			if err != nil {
				t.Fatal(err)
			}
			defer frame.cancel()
			head, err := eval[colours](frame.ctx, `(() => {
				const rgb = `+rgbJS+`;
				return { fg: rgb(getComputedStyle(document.querySelector("[data-title]")).color),
					bg: rgb(getComputedStyle(document.querySelector(".head")).backgroundColor) };
			})()`)
			if err != nil {
				t.Fatal(err)
			}
			checkColours(t, "panel title on the header", head, accent, want)
		})
	}
}

func checkColours(t *testing.T, what string, c colours, accent string, want [3]float64) {
	t.Helper()
	if accent != "" && !near(c.Bg, want) {
		t.Errorf("%s: background %v, want the theme colour %q = %v", what, c.Bg, accent, want)
	}
	if r := contrast(c.Fg, c.Bg); r < 4.5 {
		t.Errorf("%s: contrast %.2f:1 (%v on %v), want ≥ 4.5:1", what, r, c.Fg, c.Bg)
	} else {
		t.Logf("%s: %v on %v, contrast %.2f:1", what, c.Fg, c.Bg, r)
	}
}

func near(a, b [3]float64) bool {
	for i := range a {
		if d := a[i] - b[i]; d > 1 || d < -1 {
			return false
		}
	}
	return true
}
