package extractive

import (
	"context"
	"strings"
	"testing"

	"github.com/docentchat/docent/internal/assistant"
)

// Realistic passages, written the way Docent's own documentation reads.
var (
	embedPassage = assistant.Passage{
		Title:       "Docent README",
		URL:         "https://docs.example.com/readme",
		Source:      "README.md",
		HeadingPath: []string{"Docent", "Embed the widget"},
		Text: "## Embed the widget\n\n" +
			"Add the loader script to every page where the assistant should appear, just before the closing `</body>` tag:\n\n" +
			"```html\n<script async src=\"https://docs.example.com/widget.js?key=demo\"></script>\n```\n\n" +
			"The launcher appears in the bottom-right corner. Set `data-position=\"bottom-left\"` to move it.",
		Score:    9.1,
		Coverage: 0.67,
	}
	tokenPassage = assistant.Passage{
		Title:       "Identity tokens",
		URL:         "https://docs.example.com/identity",
		Source:      "docs/identity.md",
		HeadingPath: []string{"Identity", "Token lifetime"},
		Text: "Identity tokens are signed with the channel's signing secret using HS256. " +
			"A token stays valid until its exp claim, so a page reload can reuse it. " +
			"The lifetime of a token, exp minus iat, is capped by the channel at 24 hours by default; we recommend 300 seconds. " +
			"An expired token never breaks the chat: the visitor continues as a guest.",
		Score:    7.4,
		Coverage: 0.75,
	}
	tokenPassageRepeat = assistant.Passage{
		Title:  "Identity tokens",
		URL:    "https://docs.example.com/identity",
		Source: "docs/identity.md",
		Text: "Token lifetime. The lifetime of a token, exp minus iat, is capped by the channel at 24 hours by default; we recommend 300 seconds. " +
			"Rotate the signing secret from the admin dashboard.",
		Score:    5.2,
		Coverage: 0.75,
	}
	themePassage = assistant.Passage{
		Title:  "Appearance",
		URL:    "https://docs.example.com/appearance",
		Source: "docs/appearance.md",
		Text: "The widget takes its accent color from the channel's base color. " +
			"Set it in the dashboard under Appearance, or per page with `data-accent=\"#0a7cff\"`. " +
			"Dark mode follows the visitor's system setting unless `themeMode` is set.",
		Score:    3.3,
		Coverage: 0.4,
	}
	germanPassage = assistant.Passage{
		Title:  "Identitäts-Token",
		Source: "de/identitaet.md",
		Text: "Identitätstoken werden mit dem Signaturschlüssel des Kanals per HS256 signiert. " +
			"Ein Identitätstoken ist bis zu seinem exp-Zeitpunkt gültig, z. B. über mehrere Seitenaufrufe hinweg. " +
			"Die Gültigkeitsdauer ist standardmäßig auf 24 Stunden begrenzt; empfohlen sind 300 Sekunden.",
		Score:    6.0,
		Coverage: 0.8,
	}
	japanesePassage = assistant.Passage{
		Title:  "言語の設定",
		Source: "ja/language.md",
		Text: "ウィジェットの返答言語は、訪問者が最初に入力した質問の言語で決まります。" +
			"質問がまだない場合は、KYCのロケール、ブラウザのロケール、チャネルの既定言語の順に使われます。" +
			"言語は一度決まると、訪問者が明らかに別の言語で書くまで変わりません。",
		Score:    5.5,
		Coverage: 0.7,
	}
	germanEmbedPassage = assistant.Passage{
		Title:  "Widget einbinden",
		Source: "de/einbinden.md",
		Text: "Das Widget lässt sich auf jeder Website einbinden. " +
			"Fügen Sie das Loader-Skript vor dem schließenden `</body>`-Tag ein:\n\n" +
			"```html\n<script async src=\"https://docs.example.com/widget.js\" data-key=\"demo\"></script>\n```\n\n" +
			"Der Starter erscheint unten rechts.",
		Score:    6.2,
		Coverage: 1,
	}
	offTopicPassage = assistant.Passage{
		Title:    "Changelog",
		Source:   "CHANGELOG.md",
		Text:     "Version 0.3 adds PostgreSQL support and a new admin inbox.",
		Score:    0.8,
		Coverage: 0.1,
	}
)

// run streams req through a fresh provider and returns the reply and the deltas.
func run(t testing.TB, opts Options, req assistant.Request) (assistant.Reply, []string) {
	t.Helper()
	var got []string
	reply, err := New(opts).Stream(context.Background(), req, func(d string) error {
		got = append(got, d)
		return nil
	})
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if joined := strings.Join(got, ""); joined != reply.Text {
		t.Fatalf("deltas concatenate to %q, Reply.Text is %q", joined, reply.Text)
	}
	return reply, got
}

// rawHTMLOutsideCode returns the first raw HTML tag in md that is neither in a
// fenced code block nor in an inline code span, or "". It is written apart from
// the production code, after CommonMark: fences open with 3+ backticks or
// tildes (a backtick fence's info string holds no backtick) and close with a
// longer-or-equal run of the same character; code spans pair backtick runs of
// equal length; a backslash escapes ASCII punctuation. Code spans are paired
// within one line: that can only report more, never less, than a renderer
// pairing across the lines of a paragraph would show.
func rawHTMLOutsideCode(md string) string {
	var fence string
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if fence != "" {
			if n := countRun(trimmed, fence[0]); n >= len(fence) && strings.TrimSpace(trimmed[n:]) == "" {
				fence = ""
			}
			continue
		}
		if f := openingFence(trimmed); f != "" && len(line)-len(trimmed) < 4 {
			fence = f
			continue
		}
		if tag := rawTagInLine(line); tag != "" {
			return tag
		}
	}
	return ""
}

func openingFence(s string) string {
	for _, c := range []byte{'`', '~'} {
		if n := countRun(s, c); n >= 3 && !(c == '`' && strings.Contains(s[n:], "`")) {
			return s[:n]
		}
	}
	return ""
}

func countRun(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

func rawTagInLine(p string) string {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\' && i+1 < len(p) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", p[i+1]) >= 0:
			i++
		case c == '`':
			n := countRun(p[i:], '`')
			closeAt := -1
			for j := i + n; j < len(p); {
				m := countRun(p[j:], '`')
				if m == 0 {
					j++
					continue
				}
				if m == n {
					closeAt = j + m
					break
				}
				j += m
			}
			if closeAt > 0 {
				i = closeAt - 1
			} else {
				i += n - 1
			}
		case c == '<' && i+1 < len(p):
			next := p[i+1]
			if !(next == '/' || next == '!' || next == '?' || ('a' <= next && next <= 'z') || ('A' <= next && next <= 'Z')) {
				continue
			}
			rest := strings.ToLower(p[i+1:])
			end := strings.IndexByte(rest, '>')
			if end >= 0 && !strings.ContainsAny(rest[:end], " \t\n<\"'`") &&
				(strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "mailto:")) {
				i += end + 1 // an autolink, not HTML
				continue
			}
			return p[i:min(len(p), i+20)]
		}
	}
	return ""
}
