package knowledge

import (
	"strings"
	"unicode/utf8"
)

// maxTitleRunes is the longest first line that plain text may use as title.
const maxTitleRunes = 80

// ReadText reads plain text: paragraphs are separated by blank lines, and
// hard-wrapped lines are joined (list-like lines keep their own line). A
// short first line standing alone (or underlined with === or ---) is the
// title; otherwise the file name is.
func ReadText(src []byte, name string) Parsed {
	paras := splitBlankLines(cleanText(string(src)))
	var title string
	if len(paras) > 0 {
		var rest string
		title, rest = textTitle(paras[0])
		switch {
		case rest != "":
			paras[0] = rest
		case len(paras) > 1:
			paras = paras[1:]
		} // a document of one short line is both title and text
	}
	blocks := make([]Block, 0, len(paras))
	for _, p := range paras {
		blocks = append(blocks, Block{Kind: BlockParagraph, Text: joinWrappedLines(p)})
	}
	return finish(Parsed{Title: title, Blocks: blocks}, name)
}

// splitBlankLines returns the paragraphs of text: runs of lines separated by
// lines that are empty or only whitespace.
func splitBlankLines(text string) []string {
	var paras, cur []string
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) != "" {
			cur = append(cur, line)
			continue
		}
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, "\n"))
			cur = cur[:0]
		}
	}
	if len(cur) > 0 {
		paras = append(paras, strings.Join(cur, "\n"))
	}
	return paras
}

// textTitle splits a title off the first paragraph when there is one, and
// returns the rest of the paragraph.
func textTitle(first string) (title, rest string) {
	line, after, _ := strings.Cut(first, "\n")
	line = strings.TrimSpace(line)
	if utf8.RuneCountInString(line) > maxTitleRunes || strings.HasSuffix(line, ".") {
		return "", first
	}
	underline, afterUnderline, _ := strings.Cut(after, "\n")
	if u := strings.TrimSpace(underline); u != "" && strings.Trim(u, "=-") == "" {
		return line, strings.TrimSpace(afterUnderline)
	}
	if strings.TrimSpace(after) == "" {
		return line, ""
	}
	return "", first
}

// joinWrappedLines joins hard-wrapped lines with spaces, keeping a line
// break before lines that start a list item.
func joinWrappedLines(p string) string {
	lines := strings.Split(p, "\n")
	var b strings.Builder
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			if _, ok := listItem(line); ok || strings.HasPrefix(line, "• ") {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(line)
	}
	return b.String()
}
