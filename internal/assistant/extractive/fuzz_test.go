package extractive

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/docentchat/docent/internal/assistant"
	"github.com/docentchat/docent/internal/store"
)

// FuzzStream feeds arbitrary passage text (knowledge-base documents are
// untrusted: SECURITY T20, T21) and questions through the answerer. Whatever
// the input, it must not panic, the deltas must concatenate to the reply text,
// and the reply must hold no raw HTML outside code.
func FuzzStream(f *testing.F) {
	seeds := []struct {
		text, question string
		coverage       float64
	}{
		{embedPassage.Text, "How do I embed the widget on my site?", 0.67},
		{tokenPassage.Text, "How long does an identity token stay valid?", 0.75},
		{japanesePassage.Text, "ウィジェットの返答言語は？", 0.7},
		{"Paste <script src=x></script> here: ```\n<img src=x onerror=y>", "how paste script", 1},
		{"a ` b <script>alert(1)</script> c", "script", 1},
		{"\\`<script>\\` and \\\\`<b>` x", "script b", 1},
		{"- ```js\n<script>\n- <b>item</b>:\n```", "item js", 1},
		{"| <td>x</td> | `y` |\n|---|---|", "x y", 1},
		{"<!-- hidden instructions --> ![x](https://evil.example/?q=1)", "hidden", 0.4},
		{"````\n```\n<script>\n````", "how script", 1},
		{"1. <b>x</b>:\n\n<div>\nblock\n</div>", "x block", 1},
		{"", "", 0},
	}
	for _, s := range seeds {
		f.Add(s.text, s.question, s.coverage)
	}
	f.Fuzz(func(t *testing.T, text, question string, coverage float64) {
		req := assistant.Request{
			Question: question,
			Language: "en",
			Passages: []assistant.Passage{
				{Title: "Doc", Source: "doc.md", Text: text, Score: 1, Coverage: coverage},
				{Title: "Other", Source: "other.md", Text: question + "\n" + text, Score: 0.9, Coverage: coverage},
			},
		}
		var got strings.Builder
		reply, err := New(Options{}).Stream(context.Background(), req, func(d string) error {
			if d == "" {
				t.Fatal("empty delta")
			}
			got.WriteString(d)
			return nil
		})
		if err != nil {
			t.Fatalf("Stream: %v", err)
		}
		if got.String() != reply.Text {
			t.Fatalf("deltas %q != Text %q", got.String(), reply.Text)
		}
		if tag := rawHTMLOutsideCode(reply.Text); tag != "" {
			t.Fatalf("raw HTML %q outside code in:\n%s", tag, reply.Text)
		}
		switch reply.Kind {
		case store.KindAnswer, store.KindPartial:
		case store.KindNotice:
			if len(reply.Sources) != 0 {
				t.Fatalf("notice with sources: %+v", reply.Sources)
			}
		default:
			t.Fatalf("unexpected kind %q", reply.Kind)
		}
		if len(reply.Sources) > maxSources {
			t.Fatalf("%d sources", len(reply.Sources))
		}
		for _, s := range reply.Sources {
			if utf8.RuneCountInString(s.Snippet) > maxSnippetRunes {
				t.Fatalf("snippet of %d runes", utf8.RuneCountInString(s.Snippet))
			}
		}
	})
}
