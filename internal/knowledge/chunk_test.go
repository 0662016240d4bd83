package knowledge

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// words returns n distinct words starting at offset, as a sentence when
// sentence is set.
func words(offset, n int, sentence bool) string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("w%d", offset+i)
	}
	s := strings.Join(w, " ")
	if sentence {
		s = "Start " + s[len(w[0])+1:] + "."
	}
	return s
}

// sentences returns n sentences of size words each.
func sentences(n, size int) string {
	var s []string
	for i := range n {
		s = append(s, words(i*size, size, true))
	}
	return strings.Join(s, " ")
}

func TestSplitChunksHeadingPaths(t *testing.T) {
	doc := Parsed{Title: "Guide", Blocks: []Block{
		heading(1, "Guide"), para("Welcome."),
		heading(2, "Install"), para("Download."),
		heading(3, "Linux"), para("Use the tarball."),
		heading(3, "macOS"), para("Use Homebrew."),
		heading(2, "Configure"), para("Edit the file."),
		heading(4, "Deep"), para("Skipped a level."),
		heading(2, "Empty section"),
		heading(1, "Appendix"), para("Extra."),
	}}
	want := []Piece{
		{Text: "Welcome."},
		{HeadingPath: []string{"Install"}, Text: "Download."},
		{HeadingPath: []string{"Install", "Linux"}, Text: "Use the tarball."},
		{HeadingPath: []string{"Install", "macOS"}, Text: "Use Homebrew."},
		{HeadingPath: []string{"Configure"}, Text: "Edit the file."},
		{HeadingPath: []string{"Configure", "Deep"}, Text: "Skipped a level."},
		{HeadingPath: []string{"Appendix"}, Text: "Extra."},
	}
	if diff := cmp.Diff(want, SplitChunks(doc)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestSplitChunksSizes(t *testing.T) {
	var manyParagraphs []Block
	for i := range 12 {
		manyParagraphs = append(manyParagraphs, para(words(i*50, 50, true)))
	}
	var codeLines []string
	for i := range 300 {
		codeLines = append(codeLines, fmt.Sprintf("  call(%d) // step %d", i, i))
	}
	chinese := strings.Repeat("要重置密码请打开设置页面并选择安全选项然后点击重置按钮。", 40)
	tests := []struct {
		name      string
		blocks    []Block
		minChunks int
		sentences bool // every chunk ends at a sentence end
	}{
		{"paragraphs packed", manyParagraphs, 3, true},
		{"long paragraph split at sentences", []Block{para(sentences(50, 12))}, 3, true},
		{"sentence without punctuation split at words", []Block{para(words(0, 1000, false))}, 5, false},
		{"code split at lines", []Block{code(strings.Join(codeLines, "\n"))}, 3, false},
		{"chinese split at 。", []Block{para(chinese)}, 3, true},
		{"chinese without punctuation", []Block{para(strings.Repeat("设置页面安全选项", 200))}, 3, false},
		{"one unbroken token", []Block{para(strings.Repeat("x", 20000))}, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pieces := SplitChunks(Parsed{Title: "T", Blocks: tt.blocks})
			if len(pieces) < tt.minChunks {
				t.Fatalf("%d chunks, want at least %d", len(pieces), tt.minChunks)
			}
			var gotText []string
			for i, p := range pieces {
				size := wordCount(p.Text)
				if size > chunkMaxWords || len(p.Text) > maxPieceBytes {
					t.Errorf("chunk %d: %d words, %d bytes: over the maximum", i, size, len(p.Text))
				}
				if i < len(pieces)-1 && size < chunkMinWords && wordCount(tt.blocks[0].Text) > 0 && len(p.Text) < maxPieceBytes {
					t.Errorf("chunk %d: %d words, under the minimum", i, size)
				}
				if tt.sentences && !strings.HasSuffix(p.Text, ".") && !strings.HasSuffix(p.Text, "。") {
					t.Errorf("chunk %d does not end a sentence: …%q", i, p.Text[max(0, len(p.Text)-20):])
				}
				if !utf8.ValidString(p.Text) {
					t.Errorf("chunk %d is not valid UTF-8", i)
				}
				gotText = append(gotText, p.Text)
			}
			// Nothing is lost or reordered: the non-space characters are the same.
			var wantText []string
			for _, b := range tt.blocks {
				wantText = append(wantText, b.Text)
			}
			if a, b := squash(strings.Join(wantText, "")), squash(strings.Join(gotText, "")); a != b {
				t.Errorf("text changed by chunking:\nwant %.200q…\n got %.200q…", a, b)
			}
		})
	}
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func TestSplitChunksFoldsSmallRemainder(t *testing.T) {
	doc := Parsed{Blocks: []Block{heading(2, "Limits"), para(words(0, 130, true)), para(words(200, 30, true))}}
	pieces := SplitChunks(doc)
	if len(pieces) != 1 {
		t.Fatalf("%d chunks, want the 30-word remainder folded into the first: %q", len(pieces), pieces)
	}
	if want := []string{"Limits"}; !cmp.Equal(pieces[0].HeadingPath, want) {
		t.Errorf("heading path %q, want %q", pieces[0].HeadingPath, want)
	}
}

func TestSplitChunksEmpty(t *testing.T) {
	for _, doc := range []Parsed{{}, {Title: "T", Blocks: []Block{heading(1, "Only"), heading(2, "Headings")}}} {
		if pieces := SplitChunks(doc); len(pieces) != 0 {
			t.Errorf("SplitChunks(%+v) = %q, want none", doc, pieces)
		}
	}
}

func TestWordCount(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0}, {"hello, world!", 2}, {"  spaced\tout\nlines ", 3}, {"密码重置", 2}, {"密码重", 2},
		{"API 密钥", 2}, {"パスワード", 3}, {"— ... —", 0}, {"re-set v1.2", 2},
	}
	for _, tt := range tests {
		if got := wordCount(tt.text); got != tt.want {
			t.Errorf("wordCount(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"One. Two! Three? Four", []string{"One.", "Two!", "Three?", "Four"}},
		{"Use e.g. this one. Version v1.2 is out.", []string{"Use e.g. this one.", "Version v1.2 is out."}},
		{`He said "stop." Then left.`, []string{`He said "stop."`, "Then left."}},
		{"第一句。第二句！第三句", []string{"第一句。", "第二句！", "第三句"}},
		{"- item one\n- item two", []string{"- item one", "- item two"}},
		{"هل هذا صحيح؟ نعم.", []string{"هل هذا صحيح؟", "نعم."}},
	}
	for _, tt := range tests {
		if got := splitSentences(tt.text); !cmp.Equal(got, tt.want) {
			t.Errorf("splitSentences(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
