package knowledge

import (
	"strings"
)

// ReadMarkdown reduces Markdown to structured text: ATX and setext headings,
// paragraphs, lists and tables as lines, fenced code kept verbatim as code
// blocks, links reduced to their text, images dropped. HTML comments and raw
// HTML are removed, and raw HTML elements that would be invisible or never
// shown (scripts, hidden elements) are removed with their content (PI-09).
// The title is the front matter's title:, else the first level-1 heading,
// else the file name.
func ReadMarkdown(src []byte, name string) Parsed {
	text := cleanText(string(src))
	title, body := splitFrontMatter(text)
	body = removeHTMLComments(body)

	var p mdParser
	for _, seg := range splitFences(body) {
		if seg.code {
			p.flush()
			p.blocks = append(p.blocks, Block{Kind: BlockCode, Text: seg.text})
			continue
		}
		for _, line := range strings.Split(stripRawHTML(seg.text), "\n") {
			p.line(line)
		}
	}
	p.flush()
	if title == "" {
		for _, b := range p.blocks {
			if b.Kind == BlockHeading && b.Level == 1 {
				title = b.Text
				break
			}
		}
	}
	return finish(Parsed{Title: title, Blocks: p.blocks}, name)
}

// splitFrontMatter returns the title: of a leading YAML front matter block
// and the text after it; other keys are ignored.
func splitFrontMatter(text string) (title, body string) {
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return "", text
	}
	for offset := 0; ; {
		line, after, found := strings.Cut(rest[offset:], "\n")
		trimmed := strings.TrimSpace(line)
		if trimmed == "---" || trimmed == "..." {
			return title, after
		}
		if !found {
			return "", text // never closed: not front matter
		}
		if key, val, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(key) == "title" && title == "" {
			title = unquoteYAML(strings.TrimSpace(val))
		}
		offset += len(line) + 1
	}
}

func unquoteYAML(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// removeHTMLComments deletes <!-- … --> everywhere, code included: a comment
// is where instructions aimed at a model hide (PI-09). An unclosed comment
// runs to the end, as in a browser.
func removeHTMLComments(s string) string {
	if !strings.Contains(s, "<!--") {
		return s
	}
	var b strings.Builder
	for {
		start := strings.Index(s, "<!--")
		if start < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:start])
		end := strings.Index(s[start+4:], "-->")
		if end < 0 {
			return b.String()
		}
		s = s[start+4+end+3:]
	}
}

// segment is a run of lines that is either a fenced code block's content or
// ordinary Markdown.
type segment struct {
	code bool
	text string
}

// splitFences separates fenced code blocks (``` or ~~~, three or more, up to
// three spaces of indent) from the rest. An unclosed fence runs to the end.
func splitFences(body string) []segment {
	var segs []segment
	var cur []string
	fence := ""
	for _, line := range strings.Split(body, "\n") {
		if fence == "" {
			if f := openingFence(line); f != "" {
				segs = appendSegment(segs, false, cur)
				cur, fence = nil, f
				continue
			}
		} else if closesFence(line, fence) {
			segs = appendSegment(segs, true, cur)
			cur, fence = nil, ""
			continue
		}
		cur = append(cur, line)
	}
	return appendSegment(segs, fence != "", cur)
}

func appendSegment(segs []segment, code bool, lines []string) []segment {
	if len(lines) == 0 {
		return segs
	}
	return append(segs, segment{code: code, text: strings.Join(lines, "\n")})
}

func openingFence(line string) string {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return ""
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 || (t[0] == '`' && strings.ContainsRune(t[n:], '`')) {
		return ""
	}
	return t[:n]
}

func closesFence(line, fence string) bool {
	t := strings.TrimSpace(line)
	return len(line)-len(strings.TrimLeft(line, " ")) <= 3 && len(t) >= len(fence) &&
		strings.Trim(t, fence[:1]) == "" && strings.HasPrefix(t, fence)
}
