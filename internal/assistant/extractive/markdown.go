package extractive

import (
	"strings"
)

// The reply is Markdown that the widget renders with raw HTML off. As defense
// in depth the answerer never emits raw HTML either: code stays in fences,
// and a tag quoted inside prose is wrapped in an inline code span, which
// Markdown shows literally (SECURITY T21, PI-04). Images become plain links so
// a knowledge-base document cannot make the widget fetch a URL (PI-03).

// codeFence renders code as a fenced block whose fence is longer than any
// backtick run inside it, so no line of the code can close it early.
func codeFence(code, lang string) string {
	fence := strings.Repeat("`", max(3, longestRun(code, '`')+1))
	return fence + lang + "\n" + code + "\n" + fence
}

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest := 0
	for i := 0; i < len(s); {
		n := runLength(s, i, c)
		if n == 0 {
			i++
			continue
		}
		longest = max(longest, n)
		i += n
	}
	return longest
}

// safeProse makes one sentence or list item safe to place at the start of a
// Markdown line: tags are wrapped in code spans, images turned into links, and
// a leading character that would start a heading, quote or list is escaped.
func safeProse(s string) string {
	s = dropBackslashesBeforeBackticks(s)
	wrap := strings.Repeat("`", unusedRunLength(s))
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteString(s[i : i+2]) // already escaped: \<b> renders literally
			i += 2
		case s[i] == '`':
			j := skipCodeSpan(s, i)
			b.WriteString(s[i:j])
			i = j
		case htmlTagAt(s, i) && !autolinkAt(s, i):
			j := tagEnd(s, i)
			b.WriteString(wrap)
			b.WriteString(spanContent(s[i:j]))
			b.WriteString(wrap)
			i = j
		case strings.HasPrefix(s[i:], "!["):
			i++ // "![alt](url)" → "[alt](url)"
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return escapeLeadingMarker(b.String())
}

func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// dropBackslashesBeforeBackticks removes backslashes right before a backtick.
// An escaped backtick would make span pairing depend on escape parsing; without
// them, which backticks pair is decided by run lengths alone, exactly as the
// renderer decides it.
func dropBackslashesBeforeBackticks(s string) string {
	if !strings.Contains(s, "\\`") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			j := i
			for j < len(s) && s[j] == '\\' {
				j++
			}
			if j < len(s) && s[j] == '`' {
				i = j - 1
				continue
			}
			b.WriteString(s[i:j])
			i = j - 1
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// unusedRunLength returns the shortest backtick run length not present in s. A
// span delimited by such runs closes exactly where we close it and cannot pair
// with any backtick already in the text.
func unusedRunLength(s string) int {
	used := map[int]bool{}
	for i := 0; i < len(s); {
		if n := runLength(s, i, '`'); n > 0 {
			used[n] = true
			i += n
			continue
		}
		i++
	}
	n := 1
	for used[n] {
		n++
	}
	return n
}

// tagEnd returns the index after the tag starting at i: after its '>', or at
// the next space when it is never closed ("<script" cut by chunking).
func tagEnd(s string, i int) int {
	if j := strings.IndexByte(s[i:], '>'); j >= 0 {
		return i + j + 1
	}
	if j := strings.IndexAny(s[i:], " \t"); j >= 0 {
		return i + j
	}
	return len(s)
}

// spanContent pads text that starts or ends with a backtick, as CommonMark
// strips one space from each side of such a span.
func spanContent(s string) string {
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return " " + s + " "
	}
	return s
}

// escapeLeadingMarker escapes a first character that would turn a rendered
// paragraph or list item into a heading, quote, list item or rule. Emphasis
// such as "*Note:*" is left alone.
func escapeLeadingMarker(s string) string {
	if s == "" {
		return s
	}
	if isHeading(s) || s[0] == '>' || isThematicBreak(s) || (len(s) == 1 && strings.IndexByte("-+*", s[0]) >= 0) {
		return "\\" + s
	}
	if marker, _, ok := listItem(s + " "); ok {
		if marker == "-" {
			return "\\" + s
		}
		digits := len(marker) - 1
		return s[:digits] + "\\" + s[digits:]
	}
	return s
}
