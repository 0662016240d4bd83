package extractive

import (
	"fmt"
	"strings"
	"testing"

	"github.com/docentchat/docent/internal/assistant"
	"github.com/docentchat/docent/internal/store"
)

func TestComposeShapesTheAnswer(t *testing.T) {
	htmlDocPassage := assistant.Passage{
		Title: "Install", Source: "install.html", Score: 4, Coverage: 0.7,
		Text: "To embed the widget, paste the following tag into your site template:\n\n" +
			"<script async src=\"https://chat.example.org/widget.js\"\n        data-key=\"support\"></script>\n\n" +
			"It loads lazily and adds no global CSS.",
	}
	listPassage := assistant.Passage{
		Title: "Loader", Source: "docs/loader.md", Score: 6, Coverage: 0.8,
		Text: "There are four ways to start the widget loader:\n" +
			"1. Auto-init by key with a query parameter.\n" +
			"2. Data attributes on the script tag.\n" +
			"3. A pre-load config object.\n" +
			"4. Manual init with a queue stub.\n\n" +
			"The loader is tiny and renders in a shadow root.",
	}
	rawProsePassage := assistant.Passage{
		Title: "Notes", Source: "notes.md", Score: 5, Coverage: 0.9,
		Text: "The loader tag <script async src=x onerror=alert(1)></script> must stay on the page, as the diagram ![tracker](https://evil.example/p.png) shows.",
	}
	manySentences := assistant.Passage{
		Title: "Limits", Source: "limits.md", Score: 5, Coverage: 0.9,
		Text: "Rate limits apply per IP. Rate limits apply per session. Rate limits apply per channel. " +
			"Rate limits reset every minute. Rate limits return 429 with Retry-After. Rate limits are configurable.",
	}
	tests := []struct {
		name      string
		opts      Options
		req       assistant.Request
		wantIn    []string
		wantNotIn []string
		check     func(t *testing.T, r assistant.Reply)
	}{
		{
			name: "unfenced HTML snippet is fenced as html",
			req:  assistant.Request{Question: "How do I embed the widget?", Passages: []assistant.Passage{htmlDocPassage}},
			wantIn: []string{"paste the following tag into your site template:\n\n```html\n<script async src=\"https://chat.example.org/widget.js\"\n" +
				"        data-key=\"support\"></script>\n```"},
		},
		{
			name:   "a sentence ending in a colon brings its list",
			req:    assistant.Request{Question: "What are the ways to start the widget loader?", Passages: []assistant.Passage{listPassage}},
			wantIn: []string{"four ways to start the widget loader:\n\n1. Auto-init by key with a query parameter.\n2. Data attributes on the script tag.\n3. A pre-load config object.\n4. Manual init with a queue stub."},
		},
		{
			name:      "PI-03 PI-04 HTML and images inside prose are made inert",
			req:       assistant.Request{Question: "Must the loader tag stay on the page?", Passages: []assistant.Passage{rawProsePassage}},
			wantIn:    []string{"`<script async src=x onerror=alert(1)>`", "[tracker](https://evil.example/p.png)"},
			wantNotIn: []string{"![tracker]"},
		},
		{
			name: "MaxSentences caps the quote",
			opts: Options{MaxSentences: 2},
			req:  assistant.Request{Question: "What rate limits apply?", Passages: []assistant.Passage{manySentences}},
			check: func(t *testing.T, r assistant.Reply) {
				if n := strings.Count(r.Text, "Rate limits"); n != 2 {
					t.Errorf("quoted %d sentences, want 2:\n%s", n, r.Text)
				}
			},
		},
		{
			name: "a token budget keeps the reply short",
			req: assistant.Request{Question: "What rate limits apply?", MaxOutputTokens: 10,
				Passages: []assistant.Passage{manySentences}},
			check: func(t *testing.T, r assistant.Reply) {
				if r.Usage.OutputTokens > 12 {
					t.Errorf("OutputTokens = %d over a budget of 10:\n%s", r.Usage.OutputTokens, r.Text)
				}
			},
		},
		{
			name: "a tiny budget shortens the only unit",
			req: assistant.Request{Question: "How do I embed the widget?", MaxOutputTokens: 3,
				Passages: []assistant.Passage{htmlDocPassage}},
			check: func(t *testing.T, r assistant.Reply) {
				if r.Text == "" || r.Usage.OutputTokens > 8 {
					t.Errorf("reply %q (%d tokens) for a budget of 3", r.Text, r.Usage.OutputTokens)
				}
			},
		},
		{
			name: "sources are capped at three, in rank order",
			req: assistant.Request{Question: "Which rate limits apply to the widget?", Passages: []assistant.Passage{
				limitPassage("a.md", "IP address", 9), limitPassage("b.md", "session", 8),
				limitPassage("c.md", "channel", 7), limitPassage("d.md", "admin token", 6),
			}},
			check: func(t *testing.T, r assistant.Reply) {
				var paths []string
				for _, s := range r.Sources {
					paths = append(paths, s.Path)
				}
				if got := strings.Join(paths, ","); got != "a.md,b.md,c.md" {
					t.Errorf("sources %s, want a.md,b.md,c.md", got)
				}
			},
		},
		{
			name: "a weak lower passage does not pad a strong answer",
			req: assistant.Request{Question: "How long does an identity token stay valid?",
				Passages: []assistant.Passage{tokenPassage, withCoverage(themePassage, 0.35)}},
			wantNotIn: []string{"accent color"},
			check: func(t *testing.T, r assistant.Reply) {
				if r.Kind != store.KindAnswer || len(r.Sources) != 1 {
					t.Errorf("kind %q with %d sources, want one answer source", r.Kind, len(r.Sources))
				}
			},
		},
		{
			name: "zero-score passages are not evidence",
			req: assistant.Request{Question: "How long does an identity token stay valid?",
				Passages: []assistant.Passage{withScore(tokenPassage, 0)}},
			check: func(t *testing.T, r assistant.Reply) {
				if r.Kind != store.KindNotice || len(r.Sources) != 0 {
					t.Errorf("kind %q with %d sources, want a notice without sources", r.Kind, len(r.Sources))
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := run(t, tt.opts, tt.req)
			for _, s := range tt.wantIn {
				if !strings.Contains(r.Text, s) {
					t.Errorf("reply lacks %q:\n%s", s, r.Text)
				}
			}
			for _, s := range tt.wantNotIn {
				if strings.Contains(r.Text, s) {
					t.Errorf("reply contains %q:\n%s", s, r.Text)
				}
			}
			if tag := rawHTMLOutsideCode(r.Text); tag != "" {
				t.Errorf("raw HTML %q outside code:\n%s", tag, r.Text)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func limitPassage(source, scope string, score float64) assistant.Passage {
	return assistant.Passage{
		Title: fmt.Sprintf("Limits by %s", scope), Source: source, Score: score, Coverage: 1,
		Text: fmt.Sprintf("The widget applies rate limits per %s.", scope),
	}
}

func withCoverage(p assistant.Passage, c float64) assistant.Passage {
	p.Coverage = c
	return p
}

func withScore(p assistant.Passage, s float64) assistant.Passage {
	p.Score = s
	return p
}
