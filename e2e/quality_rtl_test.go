package e2e

// Right-to-left layout (issue 4 item 6): with direction "rtl" and the Arabic
// locale the whole widget mirrors: launcher side, bubbles, composer. The test
// measures the mirroring and saves screenshots of the open panel (RTL
// Arabic next to LTR English, desktop and phone) for a person to look at:
// into $DOCENT_SCREENSHOTS when set, else a temporary directory.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// layout is where the mirrored parts sit, in frame or host pixels.
type layout struct {
	Dir       string  `json:"dir"`
	Lang      string  `json:"lang"`
	UserX     float64 `json:"userX"`     // centre of the newest user bubble
	AnswerX   float64 `json:"answerX"`   // centre of the newest assistant bubble
	InputX    float64 `json:"inputX"`    // centre of the composer's text area
	SendX     float64 `json:"sendX"`     // centre of the send button
	Title     string  `json:"title"`     // the header's text
	Placehold string  `json:"placehold"` // the composer's placeholder
	// The direction English text is laid out in: the user's question and
	// the answer's first paragraph. Laid out right to left, its punctuation
	// jumps to the wrong end ("?site").
	UserText   string `json:"userText"`
	AnswerText string `json:"answerText"`
	CodeDir    string `json:"codeDir"` // of the answer's code block
}

const layoutJS = `(() => {
	const cx = (e) => { const r = e.getBoundingClientRect(); return r.left + r.width / 2; };
	const last = (sel) => { const all = document.querySelectorAll(sel); return all[all.length - 1]; };
	const app = document.getElementById("docent-app");
	return {
		dir: getComputedStyle(app).direction,
		lang: (app.closest("[lang]") || document.documentElement).getAttribute("lang") || "",
		userX: cx(last('[data-role="user"] [data-body]')),
		answerX: cx(last('[data-role="assistant"] [data-body]')),
		inputX: cx(document.querySelector('textarea[name="message"]')),
		sendX: cx(document.querySelector('button[data-action="send"]')),
		title: document.querySelector("[data-title]").textContent,
		placehold: document.querySelector('textarea[name="message"]').placeholder,
		userText: getComputedStyle(last('[data-role="user"] [data-body]')).direction,
		answerText: getComputedStyle(last('[data-role="assistant"] [data-body] p')).direction,
		codeDir: getComputedStyle(last('[data-role="assistant"] [data-body] pre')).direction,
	};
})()`

func TestRTLLayoutAndScreenshots(t *testing.T) {
	docent := startDocent(t, 0)
	site := startQualitySite(t, docent.URL)
	b := newBrowser(t)
	dir := os.Getenv("DOCENT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, dir string
		w, h      int64
		mobile    bool
	}{
		{"ar", "rtl", 1280, 800, false},
		{"en", "ltr", 1280, 800, false},
		{"ar", "rtl", phoneW, phoneH, true},
		{"en", "ltr", phoneW, phoneH, true},
	} {
		name := fmt.Sprintf("%s-%s-%dx%d", tc.lang, tc.dir, tc.w, tc.h)
		t.Run(name, func(t *testing.T) {
			viewport := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
					Width: tc.w, Height: tc.h, DeviceScaleFactor: 1, Mobile: tc.mobile})
				return err
			})
			ctx := openPage(t, b, site.Origin+"/locale?lang="+tc.lang+"&dir="+tc.dir, viewport)
			if err := waitLauncher(ctx); err != nil {
				t.Fatal(err)
			}
			l, err := readLauncher(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if left := l.X < float64(tc.w)/2; left != (tc.dir == "rtl") {
				t.Errorf("%s: launcher centre at x=%.0f of %d: want it on the %s", tc.dir, l.X, tc.w, map[bool]string{true: "left", false: "right"}[tc.dir == "rtl"])
			}
			frame := openWidget(t, ctx, b, docent.URL, nil)
			chatTurn(t, frame, embedQuestion)
			got, err := eval[layout](frame.ctx, layoutJS)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s layout: %+v", name, got)
			rtl := tc.dir == "rtl"
			if got.Dir != tc.dir || (got.UserX < got.AnswerX) != rtl || (got.SendX < got.InputX) != rtl {
				t.Errorf("%s: want the frame mirrored for %s (dir, user bubble and send button on the %s), got %+v",
					name, tc.dir, map[bool]string{true: "left", false: "right"}[rtl], got)
			}
			if got.UserText != "ltr" || got.AnswerText != "ltr" || got.CodeDir != "ltr" {
				t.Errorf("%s: English messages and code must read left to right in any UI direction, got user %s, answer %s, code %s",
					name, got.UserText, got.AnswerText, got.CodeDir)
			}
			if rtl && got.Lang != "ar" {
				t.Errorf("the Arabic locale should set lang=ar on the UI, got %q", got.Lang)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, "panel-"+name+".png")
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", file)
		})
	}
}
