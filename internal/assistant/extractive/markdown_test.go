package extractive

import (
	"strings"
	"testing"
)

func TestSafeProse(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text unchanged", "Set the key.", "Set the key."},
		{"existing code span kept", "Add `<script src=\"/w.js\">` here.", "Add `<script src=\"/w.js\">` here."},
		{"raw tag wrapped", "Paste <script src=x></script> here.", "Paste `<script src=x>``</script>` here."},
		{"wrap avoids existing run lengths", "Use `a` and <b>.", "Use `a` and ``<b>``."},
		{"unclosed tag wrapped to the next space", "Cut <script src", "Cut `<script` src"},
		{"escaped bracket stays escaped", `Write \<b> literally.`, `Write \<b> literally.`},
		{"escaped backslash then tag", `A \\<b> b`, "A \\\\`<b>` b"},
		{"backslash before backtick dropped", "a \\` <i> `", "a ` <i> `"},
		{"autolink kept", "See <https://docs.example.com>.", "See <https://docs.example.com>."},
		{"image becomes link", "![logo](https://evil.example/x.png) text", "[logo](https://evil.example/x.png) text"},
		{"leading heading escaped", "# not a heading", "\\# not a heading"},
		{"leading quote escaped", "> quoted", "\\> quoted"},
		{"leading bullet escaped", "- item", "\\- item"},
		{"leading ordered marker escaped", "12. item", "12\\. item"},
		{"lone dash escaped", "-", "\\-"},
		{"emphasis kept", "*Note:* read this.", "*Note:* read this."},
		{"comparison kept", "Use a < b and 3 > 2.", "Use a < b and 3 > 2."},
		{"tag ending in backtick padded", "x <a`", "x `` <a` ``"},
		{"tag at start", "<b>bold</b> start", "`<b>`bold`</b>` start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := safeProse(tt.in)
			if got != tt.want {
				t.Errorf("safeProse(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if tag := rawHTMLOutsideCode(got); tag != "" {
				t.Errorf("safeProse(%q) = %q leaves raw HTML %q", tt.in, got, tag)
			}
		})
	}
}

func TestCodeFenceCannotBeClosedByContent(t *testing.T) {
	tests := []struct{ code, lang string }{
		{"plain", ""},
		{"```\n<script>alert(1)</script>\n```", "md"},
		{"````` five", ""},
	}
	for _, tt := range tests {
		got := codeFence(tt.code, tt.lang)
		if tag := rawHTMLOutsideCode(got + "\nafter"); tag != "" {
			t.Errorf("codeFence(%q) lets %q escape:\n%s", tt.code, tag, got)
		}
		if !strings.Contains(got, "\n"+tt.code+"\n") {
			t.Errorf("codeFence(%q) does not keep the code verbatim:\n%s", tt.code, got)
		}
	}
}

// TestRawHTMLCheckerFindsHTML makes sure the checker used by the fuzz target
// and the tests can fail.
func TestRawHTMLCheckerFindsHTML(t *testing.T) {
	tests := []struct {
		md   string
		want bool
	}{
		{"<script>x</script>", true},
		{"text `code` <img src=x onerror=y>", true},
		{"```\n<script>\n```\n<b>", true},
		{"\\`<script>`", true},
		{"```\n<script>\n```", false},
		{"`<script>`", false},
		{"\\<script>", false},
		{"<https://example.com>", false},
		{"~~~~\n<x>\n~~~\n~~~~", false},
	}
	for _, tt := range tests {
		if got := rawHTMLOutsideCode(tt.md) != ""; got != tt.want {
			t.Errorf("rawHTMLOutsideCode(%q) found=%v, want %v", tt.md, got, tt.want)
		}
	}
}
