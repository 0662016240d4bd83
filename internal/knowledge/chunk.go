package knowledge

import "strings"

// Chunk sizes in words; a CJK character counts as half a word (Chinese
// averages about 1.5 characters a word, Japanese more), so a 220-word chunk
// is about 440 characters of Chinese. Chunks are packed up to the target,
// never past the maximum, and a chunk under the minimum only happens at the
// end of a short section.
const (
	chunkMinWords    = 60
	chunkTargetWords = 140
	chunkMaxWords    = 220
)

// Piece is one chunk of a document before it is stored: a passage that reads
// on its own, with the chain of headings above it (outermost first, the
// document title left out).
type Piece struct {
	HeadingPath []string
	Text        string
}

// SplitChunks splits a document by headings, then packs its paragraphs into
// chunks of roughly chunkMinWords–chunkMaxWords. An over-long paragraph is
// split at sentence boundaries (code blocks at line breaks), and a sentence
// that is still too long at word (or CJK character) boundaries.
func SplitChunks(doc Parsed) []Piece {
	c := chunker{title: strings.TrimSpace(doc.Title)}
	for _, b := range doc.Blocks {
		switch b.Kind {
		case BlockHeading:
			c.endSection()
			c.setHeading(b.Level, b.Text)
		case BlockCode:
			c.addBlock(b.Text, "\n", splitLines)
		default:
			c.addBlock(b.Text, " ", splitSentences)
		}
	}
	c.endSection()
	return c.out
}

type chunker struct {
	title    string
	headings [6]string
	out      []Piece
	sizes    []int // words of each chunk in out
	section  int   // index in out of the current section's first chunk
	text     strings.Builder
	size     int
}

func (c *chunker) setHeading(level int, text string) {
	level = min(max(level, 1), len(c.headings))
	c.headings[level-1] = text
	for i := level; i < len(c.headings); i++ {
		c.headings[i] = ""
	}
}

func (c *chunker) headingPath() []string {
	var path []string
	for _, h := range c.headings {
		if h != "" && !strings.EqualFold(h, c.title) {
			path = append(path, h)
		}
	}
	return path
}

// addBlock adds one paragraph or code block; split cuts it into units when it
// is longer than a chunk, and sep joins those units back inside a chunk.
func (c *chunker) addBlock(text, sep string, split func(string) []string) {
	size := wordCount(text)
	if size <= chunkMaxWords && len(text) <= maxPieceBytes {
		c.add(text, size, "\n\n")
		return
	}
	first := true
	for _, unit := range split(text) {
		for _, piece := range hardSplit(unit, chunkTargetWords) {
			joiner := sep
			if first {
				joiner, first = "\n\n", false
			}
			c.add(piece, wordCount(piece), joiner)
		}
	}
}

// add appends a unit to the current chunk, first closing the chunk when the
// unit would take it past the maximum (in words or bytes), or past the
// target once it has the minimum.
func (c *chunker) add(text string, size int, joiner string) {
	over := c.size+size > chunkMaxWords || c.text.Len()+len(joiner)+len(text) > maxPieceBytes
	if c.text.Len() > 0 && (over || (c.size >= chunkMinWords && c.size+size > chunkTargetWords)) {
		c.flush()
	}
	if c.text.Len() > 0 {
		c.text.WriteString(joiner)
	}
	c.text.WriteString(text)
	c.size += size
}

func (c *chunker) flush() {
	if text := strings.TrimSpace(c.text.String()); text != "" {
		c.out = append(c.out, Piece{HeadingPath: c.headingPath(), Text: text})
		c.sizes = append(c.sizes, c.size)
	}
	c.text.Reset()
	c.size = 0
}

// endSection closes the section's last chunk, folding it into the previous
// one when it is a small remainder that fits.
func (c *chunker) endSection() {
	c.flush()
	if n := len(c.out); n-c.section >= 2 && c.sizes[n-1] < chunkMinWords && c.sizes[n-2]+c.sizes[n-1] <= chunkMaxWords &&
		len(c.out[n-2].Text)+len(c.out[n-1].Text)+2 <= maxPieceBytes {
		c.out[n-2].Text += "\n\n" + c.out[n-1].Text
		c.sizes[n-2] += c.sizes[n-1]
		c.out, c.sizes = c.out[:n-1], c.sizes[:n-1]
	}
	c.section = len(c.out)
}
