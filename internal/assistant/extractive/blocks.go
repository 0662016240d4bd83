package extractive

import (
	"strings"
)

// unitKind is what a unit of a passage is, which decides how it is scored and
// rendered.
type unitKind int

const (
	unitSentence unitKind = iota // one sentence of a paragraph
	unitListItem                 // one Markdown list item (or table row), kept whole
	unitCode                     // a fenced code block or a raw HTML snippet, kept verbatim
)

// unit is the smallest piece of a passage the answerer quotes. Sentences of
// one paragraph share para, so that adjacent picks are rendered as one
// paragraph again.
type unit struct {
	kind   unitKind
	text   string // sentence, item text without its marker, or code without fences
	marker string // list marker as written ("-" for bullets, "3." for ordered items)
	lang   string // code info string ("html", "go", …), may be empty
	para   int    // block index within the passage
	pos    int    // unit index within the passage (reading order)
}

// parseUnits splits Markdown-ish passage text into units. It understands what
// documentation chunks contain: paragraphs, ATX headings (skipped: they are
// context, not answers), bullet and ordered lists, tables, block quotes,
// fenced code, and raw HTML blocks, which become code so that a snippet such as
// the widget's <script> tag is shown, never rendered.
func parseUnits(text string) []unit {
	lines := strings.Split(normalizeNewlines(text), "\n")
	p := unitParser{}
	for i := 0; i < len(lines); {
		i = p.block(lines, i)
	}
	p.flushParagraph()
	return p.units
}

type unitParser struct {
	units     []unit
	para      int
	paraLines []string
}

func (p *unitParser) add(u unit) {
	u.pos = len(p.units)
	p.units = append(p.units, u)
}

// block consumes the block starting at lines[i] and returns the next index.
func (p *unitParser) block(lines []string, i int) int {
	line := lines[i]
	trimmed := strings.TrimSpace(line)
	switch {
	case trimmed == "":
		p.flushParagraph()
		return i + 1
	case fenceOpener(trimmed) != "":
		p.flushParagraph()
		return p.fencedCode(lines, i, indentOf(line))
	case startsHTMLBlock(trimmed):
		p.flushParagraph()
		return p.htmlBlock(lines, i)
	case isHeading(trimmed), isThematicBreak(trimmed):
		p.flushParagraph()
		return i + 1
	case isTableDelimiter(trimmed):
		return i + 1
	}
	if marker, rest, ok := listItem(trimmed); ok {
		p.flushParagraph()
		if fenceOpener(rest) != "" {
			// "- ```js": a code block inside a list item is still a code block;
			// its lines are indented to the item's content.
			indent := indentOf(line) + len(marker) + 1
			lines[i] = rest
			return p.fencedCode(lines, i, indent)
		}
		return p.listItem(lines, i, marker, rest)
	}
	if strings.HasPrefix(trimmed, "|") {
		p.flushParagraph()
		if row := tableRow(trimmed); row != "" {
			p.add(unit{kind: unitListItem, marker: "-", text: row, para: p.nextPara()})
		}
		return i + 1
	}
	p.paraLines = append(p.paraLines, strings.TrimSpace(strings.TrimLeft(trimmed, ">")))
	return i + 1
}

func (p *unitParser) nextPara() int {
	p.para++
	return p.para - 1
}

func (p *unitParser) flushParagraph() {
	if len(p.paraLines) == 0 {
		return
	}
	para := p.nextPara()
	for _, s := range splitSentences(strings.Join(p.paraLines, " ")) {
		p.add(unit{kind: unitSentence, text: s, para: para})
	}
	p.paraLines = p.paraLines[:0]
}

// fencedCode consumes a fenced block; an unclosed fence runs to the end of the
// passage, as in CommonMark.
func (p *unitParser) fencedCode(lines []string, i int, indent int) int {
	open := strings.TrimSpace(lines[i])
	fence := fenceOpener(open)
	lang := infoLanguage(open[len(fence):])
	var body []string
	j := i + 1
	for ; j < len(lines); j++ {
		if closesFence(strings.TrimSpace(lines[j]), fence) {
			j++
			break
		}
		body = append(body, dedent(lines[j], indent))
	}
	if code := strings.Join(body, "\n"); strings.TrimSpace(code) != "" {
		p.add(unit{kind: unitCode, text: strings.Trim(code, "\n"), lang: lang, para: p.nextPara()})
	}
	return j
}

// htmlBlock consumes raw HTML up to the next blank line, as CommonMark does.
func (p *unitParser) htmlBlock(lines []string, i int) int {
	var body []string
	j := i
	for ; j < len(lines) && strings.TrimSpace(lines[j]) != ""; j++ {
		body = append(body, strings.TrimRight(lines[j], " \t"))
	}
	p.add(unit{kind: unitCode, text: dedentAll(body), lang: "html", para: p.nextPara()})
	return j
}

// listItem consumes an item and its continuation lines (indented or lazy).
func (p *unitParser) listItem(lines []string, i int, marker, first string) int {
	parts := []string{first}
	j := i + 1
	for ; j < len(lines); j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" || fenceOpener(t) != "" || startsHTMLBlock(t) || isHeading(t) || strings.HasPrefix(t, "|") {
			break
		}
		if _, _, ok := listItem(t); ok {
			break
		}
		parts = append(parts, t)
	}
	if text := strings.TrimSpace(strings.Join(parts, " ")); text != "" {
		p.add(unit{kind: unitListItem, marker: marker, text: text, para: p.nextPara()})
	}
	return j
}
