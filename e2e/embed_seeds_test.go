package e2e

// The host-page snippets of the seed documents (/work/shared/seeds 001–004:
// how site owners expect to embed a widget), adapted only in host names and
// the globals (Docent, DocentConfig), in testdata/embed/seeds/. Seeds 003
// and 004 address a single-bot backend: their script URL gains the
// channel's ?key= (part of the host/path adaptation; Docent serves many
// channels). Seed 000 (a host page framing the chat directly) is tested by
// frame_seed000_test.go.

import (
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
)

// TestEmbedSeedSnippets: every adapted seed snippet works on its own host
// page: the widget opens (or is inline), shows its greeting, and a question
// gets a complete answer; identified snippets are verified.
func TestEmbedSeedSnippets(t *testing.T) {
	site := startEmbedSite(t)
	shop := &testChannel{Key: "shop", Config: store.ChannelConfig{Title: "Shop help",
		IdentityMode: store.IdentitySigned, AllowedOrigins: []string{site.Origin}}}
	app := &testChannel{Key: "app", Config: store.ChannelConfig{Title: "App help",
		IdentityMode: store.IdentityExchange, AllowedOrigins: []string{site.Origin}}}
	docent := startDocentWith(t, 0, createChannels(shop, app))
	site.set("Docent", docent.URL)
	serveSeedBackends(t, site, docent.URL, shop, app)

	cases := []struct {
		name, page, key string
		inline          string // the container of an inline widget
		openAtLoad      bool   // data-open / openOnInit
		before          string // JavaScript the host page runs first (its own code)
		identity        string // the frame's data-identity
		greeting        string // exact greeting, when the snippet sets one
		check           func(t *testing.T, v hostView)
	}{
		{name: "001 basic", page: "/seeds/001-basic", key: "demo", identity: "anonymous"},
		{name: "001 inline", page: "/seeds/001-inline", key: "demo", inline: "support-chat", identity: "anonymous"},
		{name: "001 identified", page: "/seeds/001-identified?user=alice", key: "shop", identity: "verified"},
		{name: "002 auto-init", page: "/seeds/002-auto", key: "demo", identity: "anonymous"},
		{name: "002 overrides", page: "/seeds/002-overrides", key: "demo", openAtLoad: true, identity: "anonymous",
			check: func(t *testing.T, v hostView) {
				if v.Label != "Need help?" || v.Left != 24 || v.Bottom != 24 || v.Bg != "rgb(0, 128, 0)" || v.Z != "9999" || !strings.HasSuffix(v.Img, "/widget-icon.png") {
					t.Errorf("overrides not applied: %+v", v)
				}
			}},
		{name: "002 api", page: "/seeds/002-api", key: "demo", before: "startWidget()", openAtLoad: true, identity: "anonymous"},
		{name: "003 exchange", page: "/seeds/003-exchange", key: "app", identity: "verified"},
		{name: "004 data-server", page: "/seeds/004-data-server", key: "demo", identity: "anonymous"},
		{name: "004 attributes", page: "/seeds/004-attributes", key: "demo", openAtLoad: true, identity: "anonymous",
			greeting: "Hello! I answer questions about Vedana.",
			check: func(t *testing.T, v hostView) {
				if v.Left != 20 || v.Bg != "rgb(79, 70, 229)" {
					t.Errorf("data attributes not applied: %+v", v)
				}
			}},
	}
	b := newBrowser(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			site.set("Key", tc.key)
			ctx := openEmbed(t, b, site.Origin+tc.page)
			if tc.before != "" {
				do(t, ctx, tc.before)
			}
			switch {
			case tc.inline != "":
			case tc.openAtLoad:
				if err := waitLauncher(ctx); err != nil {
					t.Fatal(err)
				}
				if err := waitExpanded(ctx, true); err != nil {
					t.Fatal(err)
				}
			default:
				if err := waitLauncher(ctx); err != nil {
					t.Fatal(err)
				}
				if _, err := clickLauncher(ctx); err != nil {
					t.Fatal(err)
				}
			}
			frame := attachKey(t, ctx, b, tc.key)
			v := readHost(t, ctx)
			if tc.inline != "" && (v.Launcher || v.Parent != tc.inline) {
				t.Errorf("inline: want the widget in #%s without a launcher, got %+v", tc.inline, v)
			}
			if tc.check != nil {
				tc.check(t, v)
			}
			if err := frame.waitIdentity(tc.identity); err != nil {
				t.Error(err)
			}
			if g := waitGreeting(t, frame); tc.greeting != "" && g != tc.greeting {
				t.Errorf("greeting %q, want %q", g, tc.greeting)
			}
			if status := chatTurn(t, frame, embedQuestion); status != "complete" {
				t.Errorf("answer status %q, want complete:%s", status, describe(mustTranscript(t, frame)))
			}
			for _, e := range embedEvents(t, ctx) {
				if e.Kind == "warn" || e.Kind == "error" {
					t.Errorf("the snippet caused %v", e)
				}
			}
		})
	}
}

// serveSeedBackends adds what the seed snippets expect of the site's own
// server: an identity token rendered into the page (001), an assertion
// endpoint (002), a token endpoint that calls Docent's token exchange with
// the app secret (003), a preview config.json and a launcher icon (002).
func serveSeedBackends(t *testing.T, site *embedSite, docentURL string, shop, app *testChannel) {
	site.set("IdentityToken", func() any {
		now := time.Now().Unix()
		return identity.SignIdentityToken([]byte(shop.Secrets.Signing), map[string]any{"user_id": "alice", "iat": now, "exp": now + 300})
	})
	site.set("Token", func() any {
		tok, err := exchangeToken(docentURL, app.Key, app.Secrets.App, "alice")
		if err != nil {
			t.Errorf("exchange token: %v", err)
		}
		return tok
	})
	site.handle("POST /api/your-token-endpoint", func(w http.ResponseWriter, r *http.Request) {
		tok, err := exchangeToken(docentURL, app.Key, app.Secrets.App, "alice")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		writeJSONBody(w, map[string]any{"data": map[string]string{"token": tok}})
	})
	site.handle("GET /widget-preview/config.json", func(w http.ResponseWriter, r *http.Request) {
		writeJSONBody(w, map[string]any{"key": "demo", "title": "Preview desk", "position": "bottom-right",
			"theme": map[string]string{"baseColor": "#880000"}, "launcher": map[string]string{"label": "Preview"}})
	})
	serveIcon(site, "/widget-icon.png")
}

// serveIcon serves a 32×32 white PNG at path on the site (a launcher icon).
func serveIcon(site *embedSite, path string) {
	site.handle("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		img := image.NewRGBA(image.Rect(0, 0, 32, 32))
		for i := range 32 * 32 {
			img.Set(i%32, i/32, color.RGBA{255, 255, 255, 255})
		}
		w.Header().Set("Content-Type", "image/png")
		_ = png.Encode(w, img)
	})
}
