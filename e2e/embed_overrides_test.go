package e2e

// Runtime overrides (issue 4 item 3, PROTOCOL §2): init > config.json >
// defaults, configUrl relative and absolute, invalid values, and inline mode
// driven through init.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/docentchat/docent/internal/store"
)

// TestEmbedOverridesPrecedence: a channel's published appearance beats the
// defaults, init overrides beat both, field by field, and configUrl (relative
// to the host page, or absolute) replaces the published config.json.
func TestEmbedOverridesPrecedence(t *testing.T) {
	site := startEmbedSite(t)
	branded := &testChannel{Key: "branded", Config: store.ChannelConfig{Title: "Published title", Greeting: "Published greeting",
		Position: "bottom-left", BaseColor: "#aa0000", LauncherLabel: "Published label", AllowedOrigins: []string{site.Origin}}}
	docent := startDocentWith(t, 0, createChannels(branded))
	site.set("Docent", docent.URL)
	site.handle("GET /configs/preview.json", func(w http.ResponseWriter, r *http.Request) {
		writeJSONBody(w, map[string]any{"key": "branded", "title": "Preview title", "position": "bottom-left",
			"theme": map[string]string{"baseColor": "#004400"}, "launcher": map[string]string{"label": "Preview label"}})
	})
	serveIcon(site, "/icon.png")

	cases := []struct {
		name, init     string
		want           hostView // Left/Right/Bottom/Bg/Z/Label checked when set
		title, welcome string   // the frame's title and greeting (after opening)
	}{
		{name: "defaults", init: `{ key: "demo" }`,
			want: hostView{Right: 20, Bottom: 20, Bg: "rgb(31, 95, 191)", Z: "2147483647"}},
		{name: "published config.json", init: `{ key: "branded" }`,
			want:  hostView{Left: 20, Bottom: 20, Bg: "rgb(170, 0, 0)", Label: "Published label"},
			title: "Published title", welcome: "Published greeting"},
		{name: "init overrides", init: `{ key: "branded", appearance: { title: "Init title", greeting: "Init greeting",
				position: "bottom-right", launcher: { label: "Init label", iconUrl: "/icon.png" }, theme: { baseColor: "green" },
				offset: { x: 40, y: 50 }, zIndex: 9999 } }`,
			want:  hostView{Right: 40, Bottom: 50, Bg: "rgb(0, 128, 0)", Z: "9999", Label: "Init label", Img: site.Origin + "/icon.png"},
			title: "Init title", welcome: "Init greeting"},
		{name: "partial init override", init: `{ key: "branded", appearance: { theme: { baseColor: "rebeccapurple" } } }`,
			want:  hostView{Left: 20, Bg: "rgb(102, 51, 153)", Label: "Published label"},
			title: "Published title"},
		{name: "rtl locale mirrors the published side", init: `{ key: "branded", locale: "ar" }`,
			want: hostView{Right: 20, Bg: "rgb(170, 0, 0)"}},
		{name: "rtl direction mirrors the default side", init: `{ key: "demo", direction: "rtl" }`,
			want: hostView{Left: 20, Bg: "rgb(31, 95, 191)"}},
		{name: "rtl keeps a position set on the page", init: `{ key: "demo", locale: "he", appearance: { position: "bottom-right" } }`,
			want: hostView{Right: 20, Bg: "rgb(31, 95, 191)"}},
		{name: "relative configUrl", init: `{ key: "branded", configUrl: "configs/preview.json" }`,
			want: hostView{Left: 20, Bg: "rgb(0, 68, 0)", Label: "Preview label"}},
		{name: "absolute configUrl", init: `{ key: "branded", configUrl: "` + site.Origin + `/configs/preview.json", appearance: { launcher: { label: "Mine" } } }`,
			want: hostView{Left: 20, Bg: "rgb(0, 68, 0)", Label: "Mine"}},
	}
	b := newBrowser(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := openEmbed(t, b, site.Origin+"/api")
			do(t, ctx, `Docent.init(Object.assign(`+tc.init+`, rec("t")))`)
			waitEvent(t, ctx, "onConfigLoaded", `e.kind === "config"`)
			v := readHost(t, ctx)
			w := tc.want
			if (w.Left != 0 && v.Left != w.Left) || (w.Right != 0 && v.Right != w.Right) || (w.Bottom != 0 && v.Bottom != w.Bottom) ||
				v.Bg != w.Bg || (w.Z != "" && v.Z != w.Z) || (w.Label != "" && v.Label != w.Label) || v.Img != w.Img {
				t.Errorf("launcher %+v, want %+v", v, w)
			}
			if tc.title == "" {
				return
			}
			if _, err := clickLauncher(ctx); err != nil {
				t.Fatal(err)
			}
			key := "demo"
			if strings.Contains(tc.init, "branded") {
				key = "branded"
			}
			f := attachKey(t, ctx, b, key)
			if _, err := waitFor[bool](f.ctx, "title "+tc.title, `document.querySelector("[data-title]").textContent.trim() === `+jsString(tc.title)); err != nil {
				t.Errorf("%v (title %q)", err, frameText(t, f, "[data-title]"))
			}
			if g := waitGreeting(t, f); tc.welcome != "" && g != tc.welcome {
				t.Errorf("greeting %q, want %q", g, tc.welcome)
			}
			for _, e := range embedEvents(t, ctx) {
				if e.Kind == "warn" || e.Kind == "error" {
					t.Errorf("unexpected %v", e)
				}
			}
		})
	}
}

// TestEmbedInvalidOverrides: every invalid override is ignored with a
// console warning and an onError call whose error has code invalid_option
// (the loader's own at init; the frame's, for the values it applies, once
// it loads), the rest applies, and the widget works.
func TestEmbedInvalidOverrides(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	ctx := openEmbed(t, b, site.Origin+"/api")
	do(t, ctx, `Docent.init(Object.assign(rec("bad"), {
		key: "demo", mode: "popup", locale: "en_US!", themeMode: "neon", agentId: "not an agent id!", onMessage: "alert(1)",
		appearance: { title: "Still applied", position: "top-left", zIndex: -3, offset: { x: "far", y: 30 },
			theme: { baseColor: "red;}body{display:none" }, launcher: { iconUrl: "javascript:alert(1)" } },
	}))`)
	waitEvent(t, ctx, "onConfigLoaded", `e.kind === "config"`)
	loader := []string{"mode", "locale", "appearance.launcher.iconUrl", "appearance.position", "appearance.zIndex",
		"appearance.offset.x", "appearance.theme.baseColor", "onMessage"}
	events := embedEvents(t, ctx)
	for _, path := range loader {
		var warned, reported bool
		for _, e := range events {
			warned = warned || (e.Kind == "warn" && e.Code == "invalid_option" && strings.HasSuffix(strings.Trim(string(e.Value), `"`), " "+path))
			reported = reported || (e.Kind == "error" && e.Code == "invalid_option" && strings.HasSuffix(strings.Trim(string(e.Value), `"`), " "+path))
		}
		if !warned || !reported {
			t.Errorf("%s: warned %t, onError %t; events %v", path, warned, reported, events)
		}
	}
	v := readHost(t, ctx)
	if v.Right != 20 || v.Bottom != 30 || v.Bg != "rgb(31, 95, 191)" || v.Z != "2147483647" || v.Img != "" || v.Launcher == false {
		t.Errorf("invalid values must fall back to the defaults, the valid ones apply: %+v", v)
	}
	if hidden, _ := eval[bool](ctx, `getComputedStyle(document.body).display === "none"`); hidden {
		t.Error("a colour value reached the host page's CSS")
	}
	if _, err := clickLauncher(ctx); err != nil {
		t.Fatal(err)
	}
	f := attachKey(t, ctx, b, "demo")
	if _, err := waitFor[bool](f.ctx, "the valid title", `document.querySelector("[data-title]").textContent.trim() === "Still applied"`); err != nil {
		t.Error(err)
	}
	for _, field := range []string{"theme_mode", "agent_id"} {
		waitEvent(t, ctx, "the frame reporting "+field, `e.kind === "error" && e.code === "invalid_option" && e.value.includes(`+jsString(field)+`)`)
	}
	if status := chatTurn(t, f, embedQuestion); status != "complete" {
		t.Errorf("the widget must work despite bad options: %s", status)
	}

	// An unknown key, a bad apiRoot, a configUrl that fails: config_failed,
	// no widget, the page untouched.
	for _, opts := range []string{`{ key: "../no-such-channel" }`, `{ key: "demo", apiRoot: "http://[" }`, `{ key: "demo", configUrl: "/nowhere.json" }`} {
		ctx = openEmbed(t, b, site.Origin+"/api")
		do(t, ctx, `Docent.init(Object.assign(`+opts+`, rec("x"))).catch(() => {})`)
		waitEvent(t, ctx, "config_failed for "+opts, `e.kind === "error" && e.code === "config_failed"`)
		if v := readHost(t, ctx); v.Hosts != 0 {
			t.Errorf("%s rendered a widget: %+v", opts, v)
		}
	}
}

// TestEmbedInlineByInit: init({mode: "inline", target}) with an element or
// an id renders in the container, sized by it (and following it), without
// a launcher, open at once; a target that does not exist is reported
// (target_not_found) and the widget falls back to a launcher.
func TestEmbedInlineByInit(t *testing.T) {
	docent := startDocent(t, 0)
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	b := newBrowser(t)
	for _, target := range []string{`document.getElementById("box")`, `"box"`} {
		t.Run(target, func(t *testing.T) {
			ctx := openEmbed(t, b, site.Origin+"/api")
			do(t, ctx, `Docent.init(Object.assign({ key: "demo", mode: "inline", target: `+target+` }, rec("inline")))`)
			f := attachKey(t, ctx, b, "demo")
			v := readHost(t, ctx)
			if v.Launcher || v.Parent != "box" || len(v.Frame) != 2 || v.Frame[0] != 360 || v.Frame[1] != 480 {
				t.Errorf("inline: want the frame filling #box (360×480) and no launcher, got %+v", v)
			}
			if open, _ := eval[bool](ctx, `Docent.getState().open`); !open {
				t.Error("inline: getState().open is false")
			}
			do(t, ctx, `document.getElementById("box").style.cssText = "width: 300px; height: 400px"`)
			if _, err := waitFor[bool](ctx, "the frame to follow its container", `(() => { const r = document.getElementById("docent-widget").shadowRoot.querySelector("iframe").getBoundingClientRect(); return r.width === 300 && r.height === 400; })()`); err != nil {
				t.Error(err)
			}
			if status := chatTurn(t, f, embedQuestion); status != "complete" {
				t.Errorf("inline answer: %s", status)
			}
			// Escape in an inline chat closes nothing: it is part of the page,
			// with no launcher to bring it back. (Messages from the frame
			// arrive in order: by the barrier, a close would have arrived.)
			do(t, ctx, `(window.__barrier = new Promise((r) => addEventListener("message", (e) => e.data && e.data.type === "e2e-barrier" && r(true)))), true`)
			if err := chromedp.Do(f.ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
				t.Fatal(err)
			}
			do(t, f.ctx, `parent.postMessage({ type: "e2e-barrier" }, "*")`)
			do(t, ctx, `window.__barrier`)
			if v := readHost(t, ctx); len(v.Frame) != 2 {
				t.Errorf("Escape hid the inline chat: %+v", v)
			}
			// The host may still hide and show it.
			do(t, ctx, `Docent.close()`)
			if v := readHost(t, ctx); len(v.Frame) != 0 {
				t.Errorf("close() left the inline chat visible: %+v", v)
			}
			do(t, ctx, `Docent.open()`)
			if v := readHost(t, ctx); len(v.Frame) != 2 || v.Frame[0] != 300 {
				t.Errorf("open() did not show the inline chat again: %+v", v)
			}
			for _, e := range embedEvents(t, ctx) {
				if e.Kind == "warn" || e.Kind == "error" {
					t.Errorf("unexpected %v", e)
				}
			}
		})
	}
	t.Run("missing target", func(t *testing.T) {
		ctx := openEmbed(t, b, site.Origin+"/api")
		do(t, ctx, `Docent.init(Object.assign({ key: "demo", mode: "inline", target: "nowhere" }, rec("inline")))`)
		waitEvent(t, ctx, "target_not_found", `e.kind === "error" && e.code === "target_not_found"`)
		if err := waitLauncher(ctx); err != nil {
			t.Fatal(err)
		}
		f := attachKey(t, ctx, b, "demo")
		waitGreeting(t, f)
		for _, e := range embedEvents(t, ctx) {
			if (e.Kind == "warn" || e.Kind == "error") && e.Code != "target_not_found" {
				t.Errorf("unexpected %v", e)
			}
		}
	})
}
