package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// maxInlineSpan bounds how far the inline scanner looks for a closing
// bracket or backtick run.
const maxInlineSpan = 2048

// mdInline reduces inline Markdown to the text a reader sees: links become
// their text, images disappear, code spans lose their backticks, emphasis
// markers and backslash escapes go, entities are decoded.
func mdInline(s string) string {
	// Bracket lookahead is paid from a budget proportional to the input, so
	// that pathological input ("[[[[…" ten megabytes long) stays linear.
	budget := 16*len(s) + maxInlineSpan
	return html.UnescapeString(inlineText(s, &budget))
}

func inlineText(s string, budget *int) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i += 2
		case c == '`':
			i = writeCodeSpan(&b, s, i)
		case c == '!' && strings.HasPrefix(s[i:], "!["):
			if end, _, ok := linkEnd(s, i+1, budget); ok {
				i = end // images are dropped, alt text included
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '[':
			if end, text, ok := linkEnd(s, i, budget); ok {
				b.WriteString(inlineText(text, budget))
				i = end
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '<':
			i = writeAutolink(&b, s, i)
		case c == '*' || c == '_' || c == '~':
			i = skipEmphasis(&b, s, i)
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c < utf8.RuneSelf && unicode.IsPunct(rune(c)) || strings.IndexByte("$+<=>^`|~", c) >= 0
}

// writeCodeSpan writes the content of a code span starting at s[i] and
// returns where it ends; an unmatched backtick run is written as is.
func writeCodeSpan(b *strings.Builder, s string, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] == '`' {
		n++
	}
	fence := s[i : i+n]
	rest := s[i+n:]
	limit := min(len(rest), maxInlineSpan)
	for j := 0; j < limit; {
		k := strings.Index(rest[j:limit], fence)
		if k < 0 {
			break
		}
		k += j
		m := k + n
		if m < len(rest) && rest[m] == '`' { // a longer run does not close
			for m < len(rest) && rest[m] == '`' {
				m++
			}
			j = m
			continue
		}
		b.WriteString(strings.TrimSpace(rest[:k]))
		return i + n + m
	}
	b.WriteString(fence)
	return i + n
}

// linkEnd parses "[text](destination)" or "[text][label]" starting at s[i]
// == '['; it returns the index after it and the text.
func linkEnd(s string, i int, budget *int) (end int, text string, ok bool) {
	close := matchBracket(s, i, '[', ']', budget)
	if close < 0 || close+1 >= len(s) {
		return 0, "", false
	}
	text = s[i+1 : close]
	switch s[close+1] {
	case '(':
		if e := matchBracket(s, close+1, '(', ')', budget); e > 0 {
			return e + 1, text, true
		}
	case '[':
		if e := matchBracket(s, close+1, '[', ']', budget); e > 0 {
			return e + 1, text, true
		}
	}
	return 0, "", false
}

// matchBracket returns the index of the bracket closing s[i], honoring
// nesting and backslash escapes, or -1 within maxInlineSpan (or when the
// lookahead budget is spent).
func matchBracket(s string, i int, open, close byte, budget *int) int {
	depth := 0
	for j := i; j < len(s) && j-i < maxInlineSpan && *budget > 0; j++ {
		*budget--
		switch s[j] {
		case '\\':
			j++
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// writeAutolink turns <https://…> and <name@host> into their content; any
// other '<' is text (raw HTML was removed before).
func writeAutolink(b *strings.Builder, s string, i int) int {
	end := strings.IndexByte(s[i+1:min(len(s), i+1+maxInlineSpan)], '>')
	if end > 0 {
		inner := s[i+1 : i+1+end]
		if !strings.ContainsAny(inner, " \t\n<") && (strings.Contains(inner, ":") || strings.Contains(inner, "@")) {
			b.WriteString(inner)
			return i + end + 2
		}
	}
	b.WriteByte('<')
	return i + 1
}

// skipEmphasis drops runs of *, _ and ~ used as emphasis, but keeps them
// inside words (snake_case, 2*3) where they are text.
func skipEmphasis(b *strings.Builder, s string, i int) int {
	c := s[i]
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i+n:])
	inWord := isWordRune(before) && isWordRune(after)
	if (c == '~' && n == 1) || (inWord && (c == '_' || n == 1)) {
		b.WriteString(s[i : i+n])
	}
	return i + n
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
