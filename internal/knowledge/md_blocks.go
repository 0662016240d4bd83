package knowledge

import "strings"

// mdParser turns Markdown lines (fenced code already removed) into blocks.
// Paragraph lines are joined with spaces; list items and table rows keep
// their own lines so that a chunk shows them as the writer laid them out.
type mdParser struct {
	blocks []Block
	para   strings.Builder
	plain  bool // para holds only prose lines (a setext underline may follow)
}

func (p *mdParser) flush() {
	if p.para.Len() > 0 {
		p.blocks = append(p.blocks, Block{Kind: BlockParagraph, Text: mdInline(p.para.String())})
	}
	p.para.Reset()
	p.plain = false
}

func (p *mdParser) line(raw string) {
	t := strings.TrimLeft(raw, " \t")
	indented := len(raw)-len(t) > 3
	for strings.HasPrefix(t, ">") { // block quotes read as their content
		t = strings.TrimLeft(t[1:], " \t")
	}
	t = strings.TrimRight(t, " \t")
	switch {
	case t == "":
		p.flush()
	case !indented && atxLevel(t) > 0:
		p.flush()
		p.heading(atxLevel(t), atxText(t))
	case !indented && p.plain && isSetextUnderline(t):
		level := 1
		if t[0] == '-' {
			level = 2
		}
		text := p.para.String()
		p.para.Reset()
		p.plain = false
		p.heading(level, text)
	case isThematicBreak(t):
		p.flush()
	case isLinkDefinition(t), isTableSeparator(t):
	case strings.HasPrefix(t, "|"):
		p.newLine(tableRow(t))
		p.plain = false
	default:
		if item, ok := listItem(t); ok {
			p.newLine(item)
			p.plain = false
			return
		}
		if p.para.Len() == 0 {
			p.plain = true
		} else {
			p.para.WriteByte(' ')
		}
		p.para.WriteString(t)
	}
}

func (p *mdParser) newLine(s string) {
	if p.para.Len() > 0 {
		p.para.WriteByte('\n')
	}
	p.para.WriteString(s)
}

func (p *mdParser) heading(level int, text string) {
	if text = strings.TrimSpace(mdInline(text)); text != "" {
		p.blocks = append(p.blocks, Block{Kind: BlockHeading, Level: level, Text: text})
	}
}

// atxLevel returns 1–6 for "# Title" … "###### Title", else 0.
func atxLevel(t string) int {
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(t) && t[n] != ' ' && t[n] != '\t') {
		return 0
	}
	return n
}

// atxText strips the opening and the optional closing run of #.
func atxText(t string) string {
	t = strings.TrimSpace(strings.TrimLeft(t, "#"))
	if closed := strings.TrimRight(t, "#"); closed == "" || strings.HasSuffix(closed, " ") {
		t = strings.TrimSpace(closed)
	}
	return t
}

func isSetextUnderline(t string) bool {
	return (t[0] == '=' || t[0] == '-') && strings.Trim(t, t[:1]) == ""
}

// isThematicBreak: three or more of the same *, - or _, spaces allowed.
func isThematicBreak(t string) bool {
	c := t[0]
	if c != '*' && c != '-' && c != '_' {
		return false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// isLinkDefinition matches "[label]: destination" lines, which are never shown.
func isLinkDefinition(t string) bool {
	if t[0] != '[' || strings.HasPrefix(t, "[^") {
		return false
	}
	end := strings.Index(t, "]:")
	return end > 1 && !strings.Contains(t[:end], "]")
}

func isTableSeparator(t string) bool {
	return strings.ContainsRune(t, '|') && strings.ContainsRune(t, '-') && strings.Trim(t, "|:- \t") == ""
}

func tableRow(t string) string {
	t = strings.TrimSuffix(strings.TrimPrefix(t, "|"), "|")
	cells := strings.Split(t, "|")
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
	}
	return strings.Join(cells, " | ")
}

// listItem recognizes "- x", "* x", "+ x" (written back as "- x") and
// "1. x" / "1) x" (kept as written).
func listItem(t string) (string, bool) {
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || t[1] == '\t') {
		return "- " + strings.TrimSpace(t[2:]), true
	}
	n := 0
	for n < len(t) && n < 9 && t[n] >= '0' && t[n] <= '9' {
		n++
	}
	if n > 0 && n+1 < len(t) && (t[n] == '.' || t[n] == ')') && (t[n+1] == ' ' || t[n+1] == '\t') {
		return t[:n+1] + " " + strings.TrimSpace(t[n+2:]), true
	}
	return "", false
}
