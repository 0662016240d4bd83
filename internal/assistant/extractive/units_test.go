package extractive

import (
	"fmt"
	"strings"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain", "One. Two? Three!", []string{"One.", "Two?", "Three!"}},
		{"abbreviation", "Use a provider, e.g. Ollama. Then restart.", []string{"Use a provider, e.g. Ollama.", "Then restart."}},
		{"German abbreviation with space", "Zum Beispiel z. B. Ollama. Danach neu starten.", []string{"Zum Beispiel z. B. Ollama.", "Danach neu starten."}},
		{"initial", "Written by J. Smith. Read it.", []string{"Written by J. Smith.", "Read it."}},
		{"lowercase after period continues", "Version 1. is old. New one.", []string{"Version 1. is old.", "New one."}},
		{"version numbers", "Docent v1.2.3 is out. Update now.", []string{"Docent v1.2.3 is out.", "Update now."}},
		{"closing quote", `He said "stop." Then left.`, []string{`He said "stop."`, "Then left."}},
		{"code span is not split", "Run `make build. Then test` now. Done.", []string{"Run `make build. Then test` now.", "Done."}},
		{"Japanese", "言語は決まります。ロケールが使われます！本当？", []string{"言語は決まります。", "ロケールが使われます！", "本当？"}},
		{"Chinese with closing bracket", "請設定「語言。」然後重新啟動。", []string{"請設定「語言。」", "然後重新啟動。"}},
		{"no split before a fence-like run", "Use this. ```js", []string{"Use this. ```js"}},
		{"Russian", "Токен действует 24 часа. Его можно обновить.", []string{"Токен действует 24 часа.", "Его можно обновить."}},
		{"Arabic question mark is not split without space", "ما هذا؟ لا أعرف.", []string{"ما هذا؟ لا أعرف."}},
		{"empty", "   ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitSentences(tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("splitSentences(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// describe renders units compactly: kind:marker:lang:text.
func describe(units []unit) []string {
	var out []string
	for _, u := range units {
		switch u.kind {
		case unitSentence:
			out = append(out, fmt.Sprintf("s%d:%s", u.para, u.text))
		case unitListItem:
			out = append(out, fmt.Sprintf("li %s %s", u.marker, u.text))
		case unitCode:
			out = append(out, fmt.Sprintf("code(%s):%s", u.lang, u.text))
		}
	}
	return out
}

func TestParseUnits(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "paragraphs, heading skipped, lines joined",
			in:   "# Title\n\nFirst line\nwraps here. Second.\n\nNew para.",
			want: []string{"s0:First line wraps here.", "s0:Second.", "s1:New para."},
		},
		{
			name: "fenced code kept verbatim with its language",
			in:   "Add this:\n\n```html\n<script async src=\"/widget.js\"></script>\n  <p>x</p>\n```\nAfter.",
			want: []string{"s0:Add this:", "code(html):<script async src=\"/widget.js\"></script>\n  <p>x</p>", "s2:After."},
		},
		{
			name: "tilde fence, longer closing run, CRLF",
			in:   "~~~go\r\nfmt.Println(\"```\")\r\n~~~~\r\nDone.",
			want: []string{"code(go):fmt.Println(\"```\")", "s1:Done."},
		},
		{
			name: "unclosed fence runs to the end",
			in:   "Intro.\n```\nline 1\nline 2",
			want: []string{"s0:Intro.", "code():line 1\nline 2"},
		},
		{
			name: "raw HTML block becomes code",
			in:   "Paste:\n\n<script async\n  src=\"/widget.js\"></script>\n\nThen reload.",
			want: []string{"s0:Paste:", "code(html):<script async\n  src=\"/widget.js\"></script>", "s2:Then reload."},
		},
		{
			name: "a line that opens with an inline tag is prose",
			in:   "<b>Note:</b> restart the server. Then reload.",
			want: []string{"s0:<b>Note:</b> restart the server.", "s0:Then reload."},
		},
		{
			name: "script tag cut across lines is code",
			in:   "<script async\n  src=\"/widget.js\">",
			want: []string{"code(html):<script async\n  src=\"/widget.js\">"},
		},
		{
			name: "autolink line is prose",
			in:   "<https://docs.example.com> has more.",
			want: []string{"s0:<https://docs.example.com> has more."},
		},
		{
			name: "lists with continuation lines",
			in:   "Ways:\n- by key\n  with a query\n* by data attributes\n2. ordered item\n3) another",
			want: []string{"s0:Ways:", "li - by key with a query", "li - by data attributes", "li 2. ordered item", "li 3) another"},
		},
		{
			name: "code fence inside a list item",
			in:   "- ```sh\n  docent serve\n  ```\n- next",
			want: []string{"code(sh):docent serve", "li - next"},
		},
		{
			name: "table rows become items, delimiter dropped",
			in:   "| Attribute | Meaning |\n|---|:--:|\n| `data-key` | the channel key |",
			want: []string{"li - Attribute — Meaning", "li - `data-key` — the channel key"},
		},
		{
			name: "block quote and thematic break",
			in:   "> Note: quoted.\n\n---\n\nEnd.",
			want: []string{"s0:Note: quoted.", "s1:End."},
		},
		{
			name: "odd info string dropped",
			in:   "```<b>evil</b>\ncode\n```",
			want: []string{"code():code"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describe(parseUnits(tt.in))
			if strings.Join(got, "\n|") != strings.Join(tt.want, "\n|") {
				t.Errorf("parseUnits(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
