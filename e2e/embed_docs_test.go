package e2e

// The embedding guide's snippets are the test fixtures: a site owner copies
// exactly what the browser tests run.

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEmbedDocsSnippetsAreFixtures: every ```html block of docs/embedding.md
// and of the README marked `<!-- fixture: PATH -->` equals the snippet region of that fixture
// (between `<!-- snippet… -->` and `<!-- /snippet -->`, or the whole body),
// with the test's template values written as the guide's placeholders; and
// the CSP the guide calls the strictest tested is the one the strict-CSP
// browser test (TestStrictCSPHostPage) uses.
func TestEmbedDocsSnippetsAreFixtures(t *testing.T) {
	for _, name := range []string{"docs/embedding.md", "README.md"} {
		t.Run(name, func(t *testing.T) { checkSnippets(t, name) })
	}
	doc, err := os.ReadFile("../docs/embedding.md")
	if err != nil {
		t.Fatal(err)
	}
	if csp := strictHostCSP("https://chat.example.com"); !strings.Contains(string(doc), "`"+csp+"`") {
		t.Errorf("docs/embedding.md must quote the tested strict policy:\n%s", csp)
	}
}

// checkSnippets compares the fixture-marked snippets of one document with
// their fixtures; it wants one per embed style.
func checkSnippets(t *testing.T, name string) {
	doc, err := os.ReadFile(filepath.Join("..", name))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)<!-- fixture: (\\S+) -->\n```html\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 8 {
		t.Fatalf("found %d fixture-marked snippets in %s, want one per embed style (≥ 8)", len(blocks), name)
	}
	placeholders := strings.NewReplacer("{{.Docent}}", "https://chat.example.com", "{{.Key}}", "YOUR_CHANNEL_KEY", "{{.Origin}}", "https://www.example.com")
	region := regexp.MustCompile(`(?s)<!-- snippet[^>]*-->\n(.*?)<!-- /snippet -->`)
	for _, b := range blocks {
		path, snippet := b[1], b[2]
		raw, err := os.ReadFile(filepath.Join("..", path))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		m := region.FindStringSubmatch(string(raw))
		if m == nil {
			t.Errorf("%s has no <!-- snippet --> … <!-- /snippet --> region", path)
			continue
		}
		if got := placeholders.Replace(m[1]); strings.TrimSpace(got) != strings.TrimSpace(snippet) {
			t.Errorf("%s snippet for %s differs from the fixture:\n--- docs\n%s\n--- fixture\n%s", name, path, snippet, got)
		}
	}
}
