package e2e

// Phones (issue 4 item 8): a 375×667 touch viewport. The panel covers the
// screen, the composer's text is ≥ 16 px (iOS zooms into smaller inputs), the
// launcher keeps clear of the bottom gesture area, and when the on-screen
// keyboard takes the lower part of the screen the composer stays visible.

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const phoneW, phoneH = 375, 667

// phone emulates a 375×667 touch phone (device pixel ratio 2) of height h.
func phone(h int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: phoneW, Height: h, DeviceScaleFactor: 2, Mobile: true, ScreenWidth: phoneW, ScreenHeight: phoneH,
		}); err != nil {
			return err
		}
		if _, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5}); err != nil {
			return err
		}
		// The home indicator's gesture area, as on an iPhone of this size
		// held upright (the page opts in with viewport-fit=cover).
		bottom := int64(gestureArea)
		_, err := chromedp.Call(ctx, emulation.SetSafeAreaInsetsOverride, emulation.SetSafeAreaInsetsOverrideParams{
			Insets: &emulation.SafeAreaInsets{Bottom: &bottom, BottomMax: &bottom},
		})
		return err
	})
}

// gestureArea is the bottom safe-area inset the phone reports.
const gestureArea = 34

// rect is a box in host viewport pixels.
type rect struct{ X, Y, W, H float64 }

func (r rect) bottom() float64 { return r.Y + r.H }

// TestMobilePhoneViewport opens the widget with a tap on a phone, checks the
// full-screen panel and the composer, then shows the on-screen keyboard by
// shrinking the viewport to 367 px (what the browser does to the page when
// the keyboard opens) and checks the focused composer is still on screen.
func TestMobilePhoneViewport(t *testing.T) {
	docent := startDocent(t, 0)
	site := startQualitySite(t, docent.URL)
	b := newBrowser(t)
	ctx := openPage(t, b, site.Origin+"/launcher", phone(phoneH))
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	l, err := readLauncher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if gap := phoneH - (l.Y + l.Height/2); gap < gestureArea+8 || l.Width < 44 || l.Height < 44 {
		t.Errorf("launcher %+v: want ≥ 44×44 px (touch target) and clear of the %d px gesture area at the bottom, its bottom edge is %.0f px from the screen's", l, gestureArea, gap)
	}
	if err := chromedp.Do(ctx, chromedp.TapXY(l.X, l.Y)); err != nil {
		t.Fatal(err)
	}
	if err := waitExpanded(ctx, true); err != nil {
		t.Fatalf("a tap on the launcher: %v", err)
	}
	frame, err := attachFrame(ctx, b, "demo", "")
	if err != nil {
		t.Fatal(err)
	}
	defer frame.cancel()

	box := frameRect(t, ctx)
	// Full screen: all of it but the gesture area at the bottom.
	if box.X > 0.5 || box.Y > 0.5 || box.W < phoneW-0.5 || box.H < phoneH-gestureArea-0.5 {
		t.Errorf("on a phone the panel must cover the screen (0,0 %d×%d, less the %d px gesture area), got %+v", phoneW, phoneH, gestureArea, box)
	}
	size, err := eval[float64](frame.ctx, `parseFloat(getComputedStyle(document.querySelector('textarea[name="message"]')).fontSize)`)
	if err != nil || size < 16 {
		t.Errorf("composer font-size %.1f px (%v), want ≥ 16 px so iOS does not zoom in", size, err)
	}
	checkComposerVisible(t, ctx, frame, phoneH-gestureArea, "keyboard closed")

	// Covering the page, the panel is a modal dialog: Tab from its last
	// control wraps to its first instead of reaching the page behind it.
	if modal, err := eval[string](frame.ctx, `document.getElementById("docent-app").getAttribute("aria-modal") || ""`); err != nil || modal != "true" {
		t.Errorf("full screen, the panel should be aria-modal, got %q (%v)", modal, err)
	}
	if err := chromedp.Do(frame.ctx, chromedp.Focus(chromedp.CSS(`button[type="submit"]`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	if wrapped, err := waitFor[string](frame.ctx, "focus to wrap inside the panel", `(() => {
		const stops = document.querySelectorAll("a[href], button:not([disabled]), select, textarea, [tabindex]:not([tabindex='-1'])");
		const first = Array.from(stops).find((e) => e.getClientRects().length > 0);
		return document.hasFocus() && document.activeElement === first ? first.outerHTML.slice(0, 60) : "";
	})()`); err != nil {
		t.Errorf("Tab from the last control of the full-screen panel: %v", err)
	} else {
		t.Logf("Tab wrapped to %s", wrapped)
	}

	// The keyboard opens: focus the composer (a tap on it), then the
	// browser shrinks what the page sees to the space above the keyboard.
	if err := chromedp.Do(frame.ctx, chromedp.Focus(chromedp.CSS(`textarea[name="message"]`))); err != nil {
		t.Fatal(err)
	}
	const keyboardUp = 367
	if err := chromedp.Do(ctx, phone(keyboardUp)); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](ctx, "the viewport to shrink", `Math.round((window.visualViewport || window).height) === 367`); err != nil {
		t.Fatal(err)
	}
	checkComposerVisible(t, ctx, frame, keyboardUp, "keyboard open")
	chatTurn(t, frame, embedQuestion)
	checkComposerVisible(t, ctx, frame, keyboardUp, "keyboard open, after an answer")
	saveScreenshot(t, ctx, "phone-keyboard-open.png")

	if err := chromedp.Do(ctx, phone(phoneH)); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](ctx, "the viewport to grow back", `Math.round((window.visualViewport || window).height) === 667`); err != nil {
		t.Fatal(err)
	}
	checkComposerVisible(t, ctx, frame, phoneH-gestureArea, "keyboard closed again")
	saveScreenshot(t, ctx, "phone-keyboard-closed.png")

	// iOS Safari's keyboard (and Chrome's on Android, by default) leaves the
	// layout viewport as it is and shrinks only the host's visual viewport,
	// which the iframe cannot see. Zooming in shrinks the visual viewport
	// the same way; the full-screen panel must take just the visible part.
	if err := chromedp.Do(ctx, pageScale(1.6)); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](ctx, "the panel to fit the shrunk visual viewport", `(() => {
		const v = visualViewport, r = document.getElementById("docent-widget").shadowRoot.querySelector("iframe").getBoundingClientRect();
		return v.height < innerHeight - 1 && Math.abs(r.top - v.offsetTop) < 1 && Math.abs(r.height - v.height) < 1;
	})()`); err != nil {
		t.Error(err)
	}
	checkComposerVisible(t, ctx, frame, phoneH, "visual viewport shrunk, layout viewport not")
	saveScreenshot(t, ctx, "phone-visual-viewport.png")
	if err := chromedp.Do(ctx, pageScale(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := waitFor[bool](ctx, "the panel to cover the screen again", `document.getElementById("docent-widget").shadowRoot.querySelector("iframe").getBoundingClientRect().height >= `+
		strconv.Itoa(phoneH-gestureArea)+` - 0.5`); err != nil {
		t.Error(err)
	}
}

// pageScale zooms the page in (a visitor's pinch) to factor.
func pageScale(factor float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetPageScaleFactor, emulation.SetPageScaleFactorParams{PageScaleFactor: factor})
		return err
	})
}

// settleLayout waits two animation frames of the page: style and layout
// changes made before it have been applied.
func settleLayout(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := waitFor[bool](ctx, "layout to settle", `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`); err != nil {
		t.Fatal(err)
	}
}

// saveScreenshot saves what the host page shows to $DOCENT_SCREENSHOTS/name
// when that variable is set, for a person to look at.
func saveScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("DOCENT_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name), png, 0o644)
	}
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot: %s", filepath.Join(dir, name))
}

// frameRect is the widget iframe's box in the host viewport.
func frameRect(t *testing.T, ctx context.Context) rect {
	t.Helper()
	r, err := eval[rect](ctx, `(() => { const r = document.getElementById("docent-widget").shadowRoot.querySelector("iframe").getBoundingClientRect();
		return { X: r.x, Y: r.y, W: r.width, H: r.height }; })()`)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkComposerVisible: the composer and its send button lie wholly inside
// the part of the screen the visitor sees and can use (the visual viewport of
// the host, above visible: the keyboard's top or the gesture area), in host
// coordinates.
func checkComposerVisible(t *testing.T, ctx context.Context, frame *widgetFrame, visible float64, when string) {
	t.Helper()
	settleLayout(t, ctx)
	outer := frameRect(t, ctx)
	vv, err := eval[rect](ctx, `(() => { const v = window.visualViewport; return v ? { X: v.offsetLeft, Y: v.offsetTop, W: v.width, H: v.height } : { X: 0, Y: 0, W: innerWidth, H: innerHeight }; })()`)
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{`textarea[name="message"]`, `button[data-action="send"]`} {
		in, err := eval[rect](frame.ctx, `(() => { const r = document.querySelector(`+jsString(sel)+`).getBoundingClientRect(); return { X: r.x, Y: r.y, W: r.width, H: r.height }; })()`)
		if err != nil {
			t.Fatal(err)
		}
		abs := rect{X: outer.X + in.X, Y: outer.Y + in.Y, W: in.W, H: in.H}
		if abs.W < 1 || abs.H < 1 || abs.Y < vv.Y || abs.bottom() > vv.Y+vv.H+0.5 || abs.bottom() > visible+0.5 ||
			in.bottom() > outer.H+0.5 {
			t.Errorf("%s: %s at %+v (frame %+v) is not wholly on screen; visible viewport %+v", when, sel, abs, outer, vv)
		}
	}
}
