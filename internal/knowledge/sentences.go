package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPieceBytes bounds a chunk in bytes, and cuts text that has no word or
// CJK boundary at all (a long URL, base64), so that no chunk grows without
// bound. It is far above what chunkMaxWords words take in any language.
const maxPieceBytes = 16 * chunkMaxWords

// wordCounter measures text in words: each run of letters or digits is a
// word, and every two CJK characters count as one.
type wordCounter struct {
	words  int
	cjk    int
	inWord bool
}

func (w *wordCounter) add(r rune) {
	switch {
	case cjkClass(r) != classOther:
		w.inWord = false
		w.cjk++
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		if !w.inWord {
			w.inWord = true
			w.words++
		}
	case unicode.IsSpace(r):
		w.inWord = false
	}
}

func (w *wordCounter) size() int { return w.words + (w.cjk+1)/2 }

func wordCount(s string) int {
	var w wordCounter
	for _, r := range s {
		w.add(r)
	}
	return w.size()
}

// splitSentences splits prose after sentence-ending punctuation (. ! ? …
// and their CJK, Arabic and Devanagari forms) and at line breaks. A Latin
// full stop only ends a sentence before whitespace and a word that does not
// start lowercase, so "e.g. this" and "v1.2" stay whole.
func splitSentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch r {
		case '\n':
			out = appendTrimmed(out, s[start:i])
			start = i
		case '。', '！', '？', '｡':
			i = skipClosers(s, i)
			out = appendTrimmed(out, s[start:i])
			start = i
		case '.', '!', '?', '…', '؟', '।':
			end := skipClosers(s, i)
			next := end
			for next < len(s) && (s[next] == ' ' || s[next] == '\t') {
				next++
			}
			following, _ := utf8.DecodeRuneInString(s[next:])
			if next > end && (next == len(s) || !unicode.IsLower(following)) {
				out = appendTrimmed(out, s[start:end])
				start, i = next, next
			}
		}
	}
	return appendTrimmed(out, s[start:])
}

// skipClosers moves past closing quotes and brackets that belong to the
// sentence just ended.
func skipClosers(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune(`"')]”’」』）》`, r) {
			return i
		}
		i += n
	}
	return i
}

func appendTrimmed(out []string, s string) []string {
	if s = strings.TrimSpace(s); s != "" {
		out = append(out, s)
	}
	return out
}

// splitLines splits a code block into its lines (kept with indentation).
func splitLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) != "" {
			out = append(out, strings.TrimRight(line, " \t"))
		}
	}
	return out
}

// hardSplit cuts s into pieces of about limit words, at whitespace or
// between CJK characters, or anywhere (on a rune boundary) once a piece
// reaches maxPieceBytes without such a boundary.
func hardSplit(s string, limit int) []string {
	if wordCount(s) <= limit && len(s) <= maxPieceBytes {
		return []string{s}
	}
	var out []string
	var w wordCounter
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		boundary := unicode.IsSpace(r) || cjkClass(r) != classOther
		if i > start && (boundary && w.size() >= limit || i-start >= maxPieceBytes) {
			out = appendTrimmed(out, s[start:i])
			start, w = i, wordCounter{}
		}
		w.add(r)
		i += n
	}
	return appendTrimmed(out, s[start:])
}
