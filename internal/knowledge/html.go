package knowledge

import (
	"bytes"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ReadHTML reduces an HTML page to its visible text. Scripts, styles,
// embedded frames and graphics, navigation and form widgets are dropped, and
// so is every element a visitor cannot see (hidden, aria-hidden, inline
// display:none and the like): text a human reviewer never sees must not reach
// the answerer (PI-09). Headings give the structure; block elements give
// paragraph breaks; entities are decoded by the parser.
func ReadHTML(src []byte, name string) Parsed {
	doc, err := html.Parse(bytes.NewReader(src))
	if err != nil { // only reader errors, impossible on a byte slice
		return finish(Parsed{}, name)
	}
	w := htmlWalker{}
	w.walk(doc)
	w.flush()
	title := w.title
	if title == "" {
		title = w.firstH1
	}
	return finish(Parsed{Title: title, Blocks: w.blocks}, name)
}

// htmlWalker collects blocks in document order; para is the paragraph being
// written by inline content.
type htmlWalker struct {
	blocks  []Block
	para    strings.Builder
	title   string
	firstH1 string
}

func (w *htmlWalker) flush() {
	if text := strings.TrimSpace(w.para.String()); text != "" {
		w.blocks = append(w.blocks, Block{Kind: BlockParagraph, Text: text})
	}
	w.para.Reset()
}

func (w *htmlWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		writeCollapsed(&w.para, n.Data)
		return
	case html.ElementNode:
		if w.element(n) {
			return
		}
	case html.DocumentNode:
	default: // comments, doctype
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

// element handles an element and reports whether its children are done.
func (w *htmlWalker) element(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Head:
		if t := findElement(n, atom.Title); t != nil && w.title == "" {
			w.title = visibleText(t, false)
		}
		return true
	case atom.Title: // misplaced in the body
		if w.title == "" {
			w.title = visibleText(n, false)
		}
		return true
	}
	if droppedElement(n) || isHidden(n) {
		return true
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		w.flush()
		level := int(n.Data[1] - '0')
		text := visibleText(n, false)
		if strings.TrimSpace(text) != "" {
			w.blocks = append(w.blocks, Block{Kind: BlockHeading, Level: level, Text: text})
			if level == 1 && w.firstH1 == "" {
				w.firstH1 = text
			}
		}
		return true
	case atom.Pre:
		w.flush()
		w.blocks = append(w.blocks, Block{Kind: BlockCode, Text: visibleText(n, true)})
		return true
	case atom.Br:
		w.para.WriteByte('\n')
		return true
	case atom.Td, atom.Th:
		if !w.atLineStart() {
			w.para.WriteString(" | ")
		}
		return false
	case atom.Li, atom.Tr:
		// List items and table rows are lines of one paragraph.
		if !w.atLineStart() {
			w.para.WriteByte('\n')
		}
		if n.DataAtom == atom.Li {
			w.para.WriteString("- ")
		}
		w.walkChildren(n)
		w.para.WriteByte('\n')
		return true
	}
	if blockElements[n.DataAtom] {
		w.flush()
		w.walkChildren(n)
		w.flush()
		return true
	}
	return false
}

// atLineStart reports whether nothing but spaces was written since the last
// line break of the paragraph.
func (w *htmlWalker) atLineStart() bool {
	text := w.para.String()
	return strings.TrimSpace(text[strings.LastIndexByte(text, '\n')+1:]) == ""
}

func (w *htmlWalker) walkChildren(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

// blockElements end the paragraph before and after them.
var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Caption: true, atom.Center: true, atom.Dd: true, atom.Details: true,
	atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true,
	atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.Form: true,
	atom.Header: true, atom.Hr: true, atom.Main: true, atom.Ol: true, atom.P: true,
	atom.Section: true, atom.Summary: true, atom.Table: true, atom.Tbody: true,
	atom.Tfoot: true, atom.Thead: true, atom.Ul: true, atom.Body: true,
}

// visibleText is the text of n's visible descendants, with whitespace
// collapsed unless pre (then line breaks are kept).
func visibleText(n *html.Node, pre bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if droppedElement(n) || isHidden(n) {
				return
			}
			if n.DataAtom == atom.Br {
				b.WriteByte('\n')
				return
			}
		default:
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c)
	}
	if pre {
		return b.String()
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// writeCollapsed writes s with every run of whitespace (source line breaks
// included) as one space: in HTML only <br> and blocks break lines.
func writeCollapsed(b *strings.Builder, s string) {
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
}

func findElement(n *html.Node, a atom.Atom) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a {
			return c
		}
		if found := findElement(c, a); found != nil {
			return found
		}
	}
	return nil
}
