package knowledge

import (
	"errors"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// BlockKind tells how a block of a document reads.
type BlockKind uint8

const (
	// BlockParagraph is prose (or a list, a table row, a quote).
	BlockParagraph BlockKind = iota
	// BlockHeading is a section heading; Level says which (1–6).
	BlockHeading
	// BlockCode is preformatted text whose line breaks matter.
	BlockCode
)

// Block is one heading, paragraph or code block of a document.
type Block struct {
	Kind  BlockKind
	Level int // 1–6 for headings, 0 otherwise
	Text  string
}

// Parsed is a document reduced to clean, structured text: exactly what is
// chunked and indexed, so that an admin preview can show it as is (PI-09).
type Parsed struct {
	Title  string
	Blocks []Block
}

// ErrUnsupported is returned by Read for a file type it cannot read.
var ErrUnsupported = errors.New("knowledge: unsupported document type")

// Content types of the documents Docent reads.
const (
	TypeMarkdown = "text/markdown"
	TypeHTML     = "text/html"
	TypePlain    = "text/plain"
)

// ContentType returns the content type Docent reads a file name as, or ""
// when the extension is not one it reads.
func ContentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown":
		return TypeMarkdown
	case ".html", ".htm":
		return TypeHTML
	case ".txt", ".text":
		return TypePlain
	}
	return ""
}

// Read parses src according to the extension of name (a file name or path).
// name also gives the title of last resort.
func Read(name string, src []byte) (Parsed, string, error) {
	ctype := ContentType(name)
	switch ctype {
	case TypeMarkdown:
		return ReadMarkdown(src, name), ctype, nil
	case TypeHTML:
		return ReadHTML(src, name), ctype, nil
	case TypePlain:
		return ReadText(src, name), ctype, nil
	}
	return Parsed{}, "", ErrUnsupported
}

// titleFromName turns "docs/getting-started.md" into "getting started".
func titleFromName(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	base = strings.TrimSpace(strings.NewReplacer("-", " ", "_", " ").Replace(base))
	if base == "" || base == "." || base == "/" {
		return "Untitled"
	}
	return cleanText(base)
}

// finish cleans every block and the title, drops blocks left empty, and
// falls back to the file name for the title.
func finish(p Parsed, name string) Parsed {
	out := p.Blocks[:0]
	for _, b := range p.Blocks {
		if b.Kind == BlockCode {
			b.Text = trimCode(cleanText(b.Text))
		} else {
			b.Text = collapseSpaces(cleanText(b.Text))
		}
		if strings.TrimSpace(b.Text) != "" {
			out = append(out, b)
		}
	}
	p.Blocks = out
	p.Title = collapseSpaces(cleanText(p.Title))
	if p.Title == "" {
		p.Title = titleFromName(name)
	}
	return p
}

// cleanText makes text safe to index and show: valid UTF-8, Unix newlines,
// no invisible characters (zero-width, bidi controls: PI-09) and no control
// characters other than newline and tab.
func cleanText(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || r == '\r' || isInvisible(r) || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case isInvisible(r), unicode.IsControl(r) && r != '\n' && r != '\t':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// trimCode drops trailing spaces of each line and blank lines around a code
// block, keeping indentation.
func trimCode(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = strings.TrimRight(line, " \t")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// collapseSpaces turns runs of spaces and tabs into one space and trims each
// line, keeping line breaks (list items and table rows stay on their lines).
func collapseSpaces(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, line := range lines {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
