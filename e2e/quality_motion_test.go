package e2e

// prefers-reduced-motion (issue 4 item 7, WCAG 2.3.3): a visitor who asked
// the system for less motion sees nothing move, neither the launcher nor
// anything in the frame while a reply is awaited and streamed.

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

func reducedMotion() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
		})
		return err
	})
}

// motionWatchJS records, on every DOM change, the running animations and
// any element with a transition, so a brief typing indicator is not missed.
const motionWatchJS = `(() => {
	const seen = (window.__motion = []);
	const look = () => {
		for (const a of document.getAnimations()) seen.push("animation " + (a.animationName || a.constructor.name) + " on " + (a.effect && a.effect.target ? a.effect.target.className || a.effect.target.tagName : "?"));
	};
	new MutationObserver(look).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
	look();
	return true;
})()`

// transitionsJS lists elements (shadow roots included) whose styles declare
// a transition or an animation.
const transitionsJS = `(() => {
	const out = [];
	const walk = (root) => {
		for (const e of root.querySelectorAll("*")) {
			const s = getComputedStyle(e);
			const moves = (v) => v.split(",").some((d) => parseFloat(d) > 0);
			if (moves(s.transitionDuration) || (s.animationName !== "none" && moves(s.animationDuration)))
				out.push(e.tagName.toLowerCase() + "." + e.className + " transition " + s.transitionDuration + " animation " + s.animationName);
			if (e.shadowRoot) walk(e.shadowRoot);
		}
	};
	walk(document);
	return out;
})()`

// TestA11yReducedMotion opens the widget and has a streamed exchange with
// reduced motion requested; nothing may animate or transition.
func TestA11yReducedMotion(t *testing.T) {
	docent := startDocent(t, 25*time.Millisecond)
	site := startQualitySite(t, docent.URL)
	b := newBrowser(t)
	ctx := openPage(t, b, site.Origin+"/launcher", reducedMotion())
	if err := waitLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	if m, err := eval[bool](ctx, `matchMedia("(prefers-reduced-motion: reduce)").matches`); err != nil || !m {
		t.Fatalf("reduced motion not emulated on the host page (%v)", err)
	}
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	frame, err := attachFrame(ctx, b, "demo", "")
	if err != nil {
		t.Fatal(err)
	}
	defer frame.cancel()
	// Emulation is per renderer: the cross-site frame gets its own.
	if err := chromedp.Do(frame.ctx, reducedMotion()); err != nil {
		t.Fatal(err)
	}
	if m, err := eval[bool](frame.ctx, `matchMedia("(prefers-reduced-motion: reduce)").matches`); err != nil || !m {
		t.Fatalf("reduced motion not emulated in the frame (%v)", err)
	}
	if _, err := eval[bool](frame.ctx, motionWatchJS); err != nil {
		t.Fatal(err)
	}
	chatTurn(t, frame, embedQuestion)
	for _, where := range []struct {
		name string
		ctx  context.Context
	}{{"host page", ctx}, {"frame", frame.ctx}} {
		moving, err := eval[[]string](where.ctx, transitionsJS)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range moving {
			t.Errorf("%s: %s despite prefers-reduced-motion: reduce", where.name, m)
		}
	}
	seen, err := eval[[]string](frame.ctx, `Array.from(new Set(window.__motion))`)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range seen {
		t.Errorf("frame: %s ran during the exchange despite prefers-reduced-motion: reduce", s)
	}
}
