package e2e

// Every way to start the loader (issue 4 item 1, PROTOCOL §2), one fixture
// page each in testdata/embed/, served from another origin than Docent.

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/docentchat/docent/internal/app"
)

// TestEmbedWaysToStart: widget.js?key=, data-key, data-bot-id, a loader
// hosted by the site with data-server, the data attributes (position,
// title, accent, open, intro message), inline mode, data-contact-id (given
// and empty), data-thread-id, window.DocentConfig and the queue stub each
// start a working widget with what they asked for.
func TestEmbedWaysToStart(t *testing.T) {
	var a *app.App
	docent := startDocentWith(t, 0, keepApp(&a, nil))
	site := startEmbedSite(t)
	site.set("Docent", docent.URL)
	site.set("Thread", "")

	cases := []struct {
		name, page string
		openAtLoad bool   // the frame exists without a click
		inline     string // the container of an inline widget
		title      string // the frame's title, when the page sets one
		greeting   string
		check      func(t *testing.T, ctx context.Context, v hostView, f *widgetFrame)
	}{
		{name: "widget.js?key=", page: "/key-query"},
		{name: "data-key", page: "/data-key"},
		{name: "data-bot-id", page: "/data-bot-id"},
		{name: "data-server", page: "/data-server", check: func(t *testing.T, ctx context.Context, v hostView, f *widgetFrame) {
			if src, _ := eval[string](ctx, `document.getElementById("docent-widget").shadowRoot.querySelector("iframe").src`); src != docent.URL+"/widget/demo/frame" {
				t.Errorf("data-server: frame at %q, want Docent's", src)
			}
		}},
		{name: "data attributes", page: "/data-attributes", openAtLoad: true, title: "Acme help", greeting: "Hi! Ask me anything about Acme.",
			check: func(t *testing.T, ctx context.Context, v hostView, f *widgetFrame) {
				if v.Left != 20 || v.Bg != "rgb(0, 128, 0)" || v.Expanded != "true" {
					t.Errorf("data attributes: %+v", v)
				}
			}},
		{name: "inline", page: "/inline", inline: "docent-chat", check: func(t *testing.T, ctx context.Context, v hostView, f *widgetFrame) {
			if len(v.Frame) != 2 || v.Frame[0] != 420 || v.Frame[1] != 520 {
				t.Errorf("inline frame %v, want the container's 420×520", v.Frame)
			}
			if hidden, _ := eval[bool](f.ctx, `(() => { const c = document.querySelector("[data-action=close]"); return !c || c.hidden || getComputedStyle(c).display === "none"; })()`); !hidden {
				t.Error("inline: the frame shows a close button")
			}
		}},
		{name: "data-contact-id", page: "/contact?contact=crm-4711", openAtLoad: true, check: func(t *testing.T, ctx context.Context, v hostView, f *widgetFrame) {
			if id := sessionContact(t, a, f, "demo"); id != "crm-4711" {
				t.Errorf("contact %q, want crm-4711", id)
			}
		}},
		{name: "data-contact-id empty", page: "/contact", openAtLoad: true, check: func(t *testing.T, ctx context.Context, v hostView, f *widgetFrame) {
			if id := sessionContact(t, a, f, "demo"); !regexp.MustCompile(`^widget:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(id) {
				t.Errorf("contact %q, want widget:<uuidv7> issued by the server", id)
			}
		}},
		{name: "DocentConfig", page: "/docentconfig", openAtLoad: true, title: "Acme support"},
		{name: "queue stub", page: "/queue", openAtLoad: true, title: "Queued help"},
	}
	b := newBrowser(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := openEmbed(t, b, site.Origin+tc.page)
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
				if v := readHost(t, ctx); v.Iframes != 0 || v.Right != 20 || v.Expanded != "false" {
					t.Fatalf("before the first open want a closed launcher bottom-right and no iframe, got %+v", v)
				}
				if _, err := clickLauncher(ctx); err != nil {
					t.Fatal(err)
				}
			}
			f := attachKey(t, ctx, b, "demo")
			v := readHost(t, ctx)
			if v.Hosts != 1 || v.Iframes != 1 {
				t.Fatalf("want one widget with one iframe, got %+v", v)
			}
			if tc.inline != "" && (v.Launcher || v.Parent != tc.inline) {
				t.Errorf("inline: want the widget inside #%s without a launcher, got %+v", tc.inline, v)
			}
			if g := waitGreeting(t, f); tc.greeting != "" && g != tc.greeting {
				t.Errorf("greeting %q, want %q", g, tc.greeting)
			}
			if tc.title != "" {
				if _, err := waitFor[bool](f.ctx, "title "+tc.title, `document.querySelector("[data-title]").textContent.trim() === `+jsString(tc.title)); err != nil {
					t.Errorf("%v (title %q)", err, frameText(t, f, "[data-title]"))
				}
			}
			if tc.check != nil {
				tc.check(t, ctx, v, f)
			}
			for _, e := range embedEvents(t, ctx) {
				if e.Kind == "warn" || e.Kind == "error" {
					t.Errorf("the page caused %v", e)
				}
			}
		})
	}

	// data-thread-id resumes the session it names (the secret session_id,
	// here one the site's backend started): its transcript shows.
	t.Run("data-thread-id", func(t *testing.T) {
		id := startSessionWithMessage(t, docent.URL, site.Origin, "thread-marker-5521: where are the docs?")
		site.set("Thread", id)
		defer site.set("Thread", "")
		ctx := openEmbed(t, b, site.Origin+"/thread")
		f := attachKey(t, ctx, b, "demo")
		if _, err := waitFor[bool](f.ctx, "the resumed transcript", `document.querySelector("[data-transcript]").textContent.includes("thread-marker-5521")`); err != nil {
			t.Fatalf("%v; transcript:%s", err, describe(mustTranscript(t, f)))
		}
		if status := chatTurn(t, f, embedQuestion); status != "complete" {
			t.Errorf("answer in the resumed thread: %s", status)
		}
	})
}

// startSessionWithMessage starts a conversation through the chat API as a
// site's backend or another device would, and returns its session_id.
func startSessionWithMessage(t *testing.T, docentURL, origin, text string) string {
	t.Helper()
	var init struct {
		SessionID string `json:"session_id"`
	}
	postJSON(t, docentURL+"/widget/session/init", origin, map[string]any{"key": "demo"}, &init)
	if init.SessionID == "" {
		t.Fatal("no session_id from session/init")
	}
	postJSON(t, docentURL+"/widget/chat", origin, map[string]any{"session_id": init.SessionID, "message": text}, nil)
	return init.SessionID
}

func postJSON(t *testing.T, url, origin string, body any, out any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", origin)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %s", url, res.Status)
	}
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}
