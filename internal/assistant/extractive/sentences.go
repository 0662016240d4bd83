package extractive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a period that does not end a sentence. Lowercased,
// without the final period.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "etc": true, "vs": true, "cf": true, "approx": true, "eg": true, "ie": true,
	"fig": true, "pp": true, "dr": true, "mr": true, "mrs": true, "ms": true,
	"z.b": true, "d.h": true, "bzw": true, "usw": true, "ca": true, "vgl": true, "nr": true,
	"p.ej": true, "ej": true, "т.е": true, "т.д": true, "т.п": true, "др": true, "см": true,
}

// splitSentences splits one paragraph into sentences. A sentence ends at
// '.', '?' or '!' (and any closing quotes or brackets) followed by a space, or
// at the full-width '。', '！', '？' used by Japanese and Chinese, which need no
// space. It never splits inside an inline code span, after a known
// abbreviation or an initial, or right before a fence-like run of ``` or ~~~
// (a sentence starting with one would open a code block when rendered).
func splitSentences(para string) []string {
	var out []string
	start := 0
	for i := 0; i < len(para); {
		if para[i] == '`' {
			i = skipCodeSpan(para, i)
			continue
		}
		r, size := utf8.DecodeRuneInString(para[i:])
		end := i + size
		switch r {
		case '。', '！', '？':
			end = skipClosers(para, end)
			out = appendSentence(out, para[start:end])
			start, i = end, end
			continue
		case '.', '?', '!':
			end = skipClosers(para, end)
			if end < len(para) && (para[end] == ' ' || para[end] == '\t') && endsSentence(para, start, i, r, end) {
				out = appendSentence(out, para[start:end])
				start, i = end, end
				continue
			}
		}
		i = end
	}
	return appendSentence(out, para[start:])
}

func appendSentence(out []string, s string) []string {
	if s = strings.TrimSpace(s); s != "" {
		out = append(out, s)
	}
	return out
}

// skipCodeSpan returns the index after the code span opened by the backtick
// run at i, or after the run itself when nothing closes it (CommonMark: the
// backticks are then literal).
func skipCodeSpan(s string, i int) int {
	n := runLength(s, i, '`')
	for j := i + n; j < len(s); {
		if s[j] != '`' {
			j++
			continue
		}
		m := runLength(s, j, '`')
		if m == n {
			return j + m
		}
		j += m
	}
	return i + n
}

// skipClosers moves past closing quotes and brackets after a terminator.
func skipClosers(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune(`"')]»”’」』）】`, r) {
			break
		}
		i += size
	}
	return i
}

// endsSentence decides whether the terminator r at dot (followed by closers
// up to end, then a space) ends the sentence that began at start.
func endsSentence(s string, start, dot int, r rune, end int) bool {
	next := strings.TrimLeft(s[end:], " \t")
	if next == "" {
		return true
	}
	if strings.HasPrefix(next, "```") || strings.HasPrefix(next, "~~~") {
		return false
	}
	first, _ := utf8.DecodeRuneInString(next)
	if unicode.IsLower(first) {
		return false // "e.g. the loader", "v1. something": lowercase continues
	}
	if r != '.' {
		return true
	}
	word := lastWord(s[start:dot])
	if abbreviations[strings.ToLower(word)] {
		return false
	}
	// A single letter before the period is an initial ("J. Smith") or part of
	// an abbreviation written with a space (German "z. B.", "d. h.").
	if w, size := utf8.DecodeRuneInString(word); size == len(word) && unicode.IsLetter(w) {
		return false
	}
	return true
}

// lastWord returns the text after the last space, without opening brackets.
func lastWord(s string) string {
	if i := strings.LastIndexAny(s, " \t"); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimLeft(s, `("'[«“‘`)
}
