package knowledge

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxTagBytes bounds a raw HTML tag in Markdown; a '<' not closed within it
// is text.
const maxTagBytes = 4096

// stripRawHTML removes raw HTML from Markdown prose (code spans excepted):
// tags go and their text stays, except for elements that never show text
// (scripts, styles, frames…) and elements hidden by their attributes, which
// go with their content. Block-level tags become paragraph breaks.
func stripRawHTML(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	lower := asciiLower(s) // same byte offsets as s
	// Looking for the end of tags is paid from a budget proportional to the
	// input so that "<a <a <a …" stays linear. Only input built to exhaust
	// it does, and then the rest is dropped: failing closed, a hidden element
	// can never slip through as text.
	budget := 32*len(s) + maxTagBytes
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		switch s[i] {
		case '`':
			n := i
			for n < len(s) && s[n] == '`' {
				n++
			}
			end := strings.Index(s[n:min(len(s), n+maxInlineSpan)], s[i:n])
			if end < 0 {
				b.WriteString(s[i:n])
				i = n
				continue
			}
			end += n + (n - i)
			b.WriteString(s[i:end])
			i = end
		case '<':
			tag, end, ok := parseTag(s, i, &budget)
			if budget <= 0 {
				return b.String()
			}
			if !ok {
				b.WriteByte('<')
				i++
				continue
			}
			i = end
			if hidesContent(tag) {
				i = skipElement(s, lower, i, tag.name, &budget)
				b.WriteByte(' ')
				continue
			}
			b.WriteString(tagSeparator(tag.atom))
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// hidesContent reports a start tag whose whole element is to be removed.
func hidesContent(t rawTag) bool {
	if t.closing || t.selfClosing || voidElements[t.atom] {
		return false
	}
	return droppedTags[t.atom] || t.atom == 0 && (t.name == "svg" || t.name == "math") ||
		t.atom == atom.Dialog && !hasAttr(t.attrs, "open") || attrsHidden(t.attrs)
}

// voidElements have no content and no end tag.
var voidElements = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true,
	atom.Hr: true, atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true,
	atom.Source: true, atom.Track: true, atom.Wbr: true,
}

type rawTag struct {
	name        string // lowercase
	atom        atom.Atom
	closing     bool
	selfClosing bool
	attrs       []html.Attribute
}

// parseTag parses an HTML tag starting at s[i] == '<' with the html
// tokenizer, after checking the name looks like one (so "a < b" and "<3"
// stay text).
func parseTag(s string, i int, budget *int) (rawTag, int, bool) {
	j := i + 1
	closing := j < len(s) && s[j] == '/'
	if closing {
		j++
	}
	start := j
	for j < len(s) && (isASCIILetter(s[j]) || j > start && (s[j] == '-' || s[j] >= '0' && s[j] <= '9')) {
		j++
	}
	if j == start || j == len(s) || !(s[j] == '>' || s[j] == '/' || s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
		return rawTag{}, 0, false
	}
	end := tagEnd(s, j, budget)
	if end < 0 {
		return rawTag{}, 0, false
	}
	tag := rawTag{name: asciiLower(s[start:j]), closing: closing}
	tag.atom = atom.Lookup([]byte(tag.name))
	if !closing {
		z := html.NewTokenizer(strings.NewReader(s[i:end]))
		if tt := z.Next(); tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			tag.attrs = z.Token().Attr
			tag.selfClosing = tt == html.SelfClosingTagToken
		}
	}
	return tag, end, true
}

// tagEnd returns the index after the '>' closing a tag whose attributes
// start at s[j], honoring quotes, or -1.
func tagEnd(s string, j int, budget *int) int {
	var quote byte
	for k := j; k < len(s) && k-j < maxTagBytes && *budget > 0; k++ {
		*budget--
		switch c := s[k]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return k + 1
		}
	}
	return -1
}

// skipElement returns the index after the end tag matching an element named
// name whose start tag ended at i, counting nested elements of the same name.
// An element never closed hides everything after it, as in a browser.
func skipElement(s, lower string, i int, name string, budget *int) int {
	open, close := "<"+name, "</"+name
	rawText := name == "script" || name == "style" || name == "textarea" || name == "title"
	depth := 1
	for i < len(s) {
		next := strings.IndexByte(lower[i:], '<')
		if next < 0 {
			return len(s)
		}
		i += next
		switch {
		case strings.HasPrefix(lower[i:], close) && endsName(lower, i+len(close)):
			depth--
			end := tagEnd(s, i+len(close), budget)
			if *budget <= 0 {
				return len(s) // fail closed: the rest stays hidden
			}
			if end < 0 {
				end = i + len(close)
			}
			if depth == 0 {
				return end
			}
			i = end
		case !rawText && strings.HasPrefix(lower[i:], open) && endsName(lower, i+len(open)):
			depth++
			i += len(open)
		default:
			i++
		}
	}
	return len(s)
}

func endsName(s string, i int) bool {
	return i == len(s) || s[i] == '>' || s[i] == '/' || s[i] == ' ' || s[i] == '\t' || s[i] == '\n'
}

// tagSeparator is what replaces a removed tag: a paragraph break for blocks,
// a line break for <br>, nothing for inline tags.
func tagSeparator(a atom.Atom) string {
	switch {
	case a == atom.Br:
		return "\n"
	case blockElements[a], a == atom.Li, a == atom.Pre,
		a == atom.H1, a == atom.H2, a == atom.H3, a == atom.H4, a == atom.H5, a == atom.H6:
		return "\n\n"
	}
	return ""
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// asciiLower lowercases A–Z only, so byte offsets are unchanged.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
