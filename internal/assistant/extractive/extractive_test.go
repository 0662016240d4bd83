package extractive

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/docentchat/docent/internal/assistant"
	"github.com/docentchat/docent/internal/locale"
	"github.com/docentchat/docent/internal/store"
)

func TestName(t *testing.T) {
	if got := New(Options{}).Name(); got != "extractive" {
		t.Errorf("Name() = %q, want extractive", got)
	}
}

func TestNewFillsDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Options
		want Options
	}{
		{"zero", Options{}, Options{AnswerCoverage: DefaultAnswerCoverage, PartialCoverage: DefaultPartialCoverage, MaxSentences: DefaultMaxSentences}},
		{"negative pace", Options{Pace: -1}, Options{AnswerCoverage: DefaultAnswerCoverage, PartialCoverage: DefaultPartialCoverage, MaxSentences: DefaultMaxSentences}},
		{"partial above answer is capped", Options{AnswerCoverage: 0.5, PartialCoverage: 0.9, MaxSentences: 2},
			Options{AnswerCoverage: 0.5, PartialCoverage: 0.5, MaxSentences: 2}},
		{"coverage above one", Options{AnswerCoverage: 3}, Options{AnswerCoverage: DefaultAnswerCoverage, PartialCoverage: DefaultPartialCoverage, MaxSentences: DefaultMaxSentences}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.in).opts; got != tt.want {
				t.Errorf("New(%+v).opts = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestStreamDecidesKindAndQuotes(t *testing.T) {
	tests := []struct {
		name        string
		req         assistant.Request
		wantKind    store.Kind
		wantPrefix  string   // first line of the reply, if fixed
		wantIn      []string // substrings the reply must contain
		wantNotIn   []string
		wantSources []string // source paths, in order
	}{
		{
			name: "strong evidence in English gives an answer with sources",
			req: assistant.Request{Question: "How long does an identity token stay valid?", Language: "en",
				Passages: []assistant.Passage{tokenPassage, offTopicPassage}},
			wantKind:    store.KindAnswer,
			wantIn:      []string{"A token stays valid until its exp claim"},
			wantNotIn:   []string{"PostgreSQL", locale.Text("en", locale.PartialCaveat)},
			wantSources: []string{"docs/identity.md"},
		},
		{
			name: "strong evidence in German keeps abbreviations inside sentences",
			req: assistant.Request{Question: "Wie lange ist ein Identitätstoken gültig?", Language: "de",
				Passages: []assistant.Passage{germanPassage}},
			wantKind:    store.KindAnswer,
			wantIn:      []string{"Ein Identitätstoken ist bis zu seinem exp-Zeitpunkt gültig, z. B. über mehrere Seitenaufrufe hinweg."},
			wantSources: []string{"de/identitaet.md"},
		},
		{
			name: "strong evidence in Japanese splits at the ideographic full stop",
			req: assistant.Request{Question: "ウィジェットの返答言語はどう決まりますか？", Language: "ja",
				Passages: []assistant.Passage{japanesePassage}},
			wantKind:    store.KindAnswer,
			wantIn:      []string{"ウィジェットの返答言語は、訪問者が最初に入力した質問の言語で決まります。"},
			wantSources: []string{"ja/language.md"},
		},
		{
			name: "weak evidence gives a partial answer with the caveat in the request language",
			req: assistant.Request{Question: "Can I change the launcher icon and the accent color?", Language: "de-AT",
				Passages: []assistant.Passage{themePassage}},
			wantKind:    store.KindPartial,
			wantPrefix:  locale.Text("de", locale.PartialCaveat),
			wantIn:      []string{"accent color from the channel's base color"},
			wantSources: []string{"docs/appearance.md"},
		},
		{
			name: "weak evidence, caveat in Japanese while the quote stays English",
			req: assistant.Request{Question: "Can I change the launcher icon and the accent color?", Language: "ja",
				Passages: []assistant.Passage{themePassage}},
			wantKind:    store.KindPartial,
			wantPrefix:  locale.Text("ja", locale.PartialCaveat),
			wantIn:      []string{"accent color"},
			wantSources: []string{"docs/appearance.md"},
		},
		{
			name: "nothing relevant gives a localized notice without sources",
			req: assistant.Request{Question: "Do you support SAML single sign-on?", Language: "fr",
				Passages: []assistant.Passage{offTopicPassage}},
			wantKind:   store.KindNotice,
			wantPrefix: locale.Text("fr", locale.NotFound),
			wantNotIn:  []string{"PostgreSQL"},
		},
		{
			name:       "no passages at all",
			req:        assistant.Request{Question: "Where is the pricing page?", Language: "zh-TW"},
			wantKind:   store.KindNotice,
			wantPrefix: locale.Text("zh-TW", locale.NotFound),
		},
		{
			name: "blank question",
			req: assistant.Request{Question: "  ", Language: "en",
				Passages: []assistant.Passage{tokenPassage}},
			wantKind:   store.KindNotice,
			wantPrefix: locale.Text("en", locale.NotFound),
		},
		{
			name: "the embed question yields the script snippet in a code fence",
			req: assistant.Request{Question: "How do I embed the widget on my site?", Language: "en",
				Passages: []assistant.Passage{embedPassage, themePassage}},
			wantKind: store.KindAnswer,
			wantIn: []string{
				"Add the loader script to every page",
				"```html\n<script async src=\"https://docs.example.com/widget.js?key=demo\"></script>\n```",
			},
			wantSources: []string{"README.md"},
		},
		{
			name: "a German how-to question gets the German page's snippet",
			req: assistant.Request{Question: "Wie binde ich das Widget auf meiner Website ein?", Language: "de",
				Passages: []assistant.Passage{germanEmbedPassage}},
			wantKind: store.KindAnswer,
			wantIn: []string{
				"Fügen Sie das Loader-Skript vor dem schließenden `</body>`-Tag ein:",
				"```html\n<script async src=\"https://docs.example.com/widget.js\" data-key=\"demo\"></script>\n```",
			},
			wantSources: []string{"de/einbinden.md"},
		},
		{
			name: "two chunks of one document give one source",
			req: assistant.Request{Question: "What is the recommended token lifetime?", Language: "en",
				Passages: []assistant.Passage{tokenPassage, tokenPassageRepeat}},
			wantKind:    store.KindAnswer,
			wantIn:      []string{"we recommend 300 seconds"},
			wantNotIn:   []string{"Rotate the signing secret"},
			wantSources: []string{"docs/identity.md"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply, _ := run(t, Options{}, tt.req)
			if reply.Kind != tt.wantKind {
				t.Errorf("Kind = %q, want %q\ntext:\n%s", reply.Kind, tt.wantKind, reply.Text)
			}
			if tt.wantPrefix != "" && !strings.HasPrefix(reply.Text, tt.wantPrefix) {
				t.Errorf("reply does not start with %q:\n%s", tt.wantPrefix, reply.Text)
			}
			for _, s := range tt.wantIn {
				if !strings.Contains(reply.Text, s) {
					t.Errorf("reply lacks %q:\n%s", s, reply.Text)
				}
			}
			for _, s := range tt.wantNotIn {
				if strings.Contains(reply.Text, s) {
					t.Errorf("reply contains %q:\n%s", s, reply.Text)
				}
			}
			var paths []string
			for _, s := range reply.Sources {
				paths = append(paths, s.Path)
				if s.Snippet == "" || utf8.RuneCountInString(s.Snippet) > maxSnippetRunes {
					t.Errorf("source %s: snippet of %d runes", s.Path, utf8.RuneCountInString(s.Snippet))
				}
				if s.Title == "" {
					t.Errorf("source %s has no title", s.Path)
				}
			}
			if strings.Join(paths, ",") != strings.Join(tt.wantSources, ",") {
				t.Errorf("sources = %v, want %v", paths, tt.wantSources)
			}
			if tag := rawHTMLOutsideCode(reply.Text); tag != "" {
				t.Errorf("raw HTML %q outside code in:\n%s", tag, reply.Text)
			}
			if reply.Usage.InputTokens <= 0 || reply.Usage.OutputTokens <= 0 {
				t.Errorf("usage = %+v, want positive counts", reply.Usage)
			}
		})
	}
}

func TestPlanMatchesStream(t *testing.T) {
	p := New(Options{})
	var _ assistant.Planner = p
	for _, req := range []assistant.Request{
		{Question: "How do I embed the widget?", Language: "en", Passages: []assistant.Passage{{Title: "Embedding", Text: "Embed the widget with one script tag.", Score: 3, Coverage: 1}}},
		{Question: "How do I embed the widget?", Language: "en", Passages: []assistant.Passage{{Title: "Embedding", Text: "The widget has a launcher.", Score: 1, Coverage: 0.4}}},
		{Question: "wombat", Language: "en"},
	} {
		reply, err := p.Stream(context.Background(), req, func(string) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Plan(req); got != reply.Kind {
			t.Fatalf("Plan = %s, Stream kind = %s", got, reply.Kind)
		}
	}
}

// TestOneSharedWordIsNotEvidence: a passage sharing a single word with a
// multi-word question is chance, so the reply is a notice, not a partial answer.
func TestOneSharedWordIsNotEvidence(t *testing.T) {
	p := New(Options{})
	table := assistant.Passage{Title: "Configuration", Text: "| Flag | Default | Meaning |\n|---|---|---|\n| --addr | :8080 | listen address |", Score: 2, Coverage: 0.5}
	tests := []struct {
		question string
		passage  assistant.Passage
		want     store.Kind
	}{
		{"what is the meaning of life", table, store.KindNotice},
		{"what does the addr flag mean in the configuration", assistant.Passage{Title: "Configuration", Text: "The addr flag sets the listen address.", Score: 2, Coverage: 0.5}, store.KindPartial},
		{"meaning", assistant.Passage{Title: "Glossary", Text: "Meaning: what a word stands for.", Score: 2, Coverage: 1}, store.KindAnswer},
	}
	for _, tt := range tests {
		req := assistant.Request{Question: tt.question, Language: "en", Passages: []assistant.Passage{tt.passage}}
		if got := p.Plan(req); got != tt.want {
			t.Errorf("%q: kind %s, want %s", tt.question, got, tt.want)
		}
	}
}
