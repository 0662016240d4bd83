package extractive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line classifiers for parseUnits. They follow CommonMark where it matters for
// safety (what opens and closes a fence, what starts raw HTML) and stay loose
// elsewhere: passages are documentation chunks, not arbitrary Markdown.

func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// fenceOpener returns the fence run ("```", "~~~~"…) that trimmed opens with,
// or "". A backtick fence whose info string holds a backtick is inline code.
func fenceOpener(trimmed string) string {
	for _, c := range []byte{'`', '~'} {
		n := runLength(trimmed, 0, c)
		if n < 3 {
			continue
		}
		if c == '`' && strings.IndexByte(trimmed[n:], '`') >= 0 {
			return ""
		}
		return trimmed[:n]
	}
	return ""
}

// closesFence reports whether trimmed closes a block opened with fence.
func closesFence(trimmed, fence string) bool {
	n := runLength(trimmed, 0, fence[0])
	return n >= len(fence) && strings.TrimSpace(trimmed[n:]) == ""
}

// runLength counts the bytes equal to c in s from offset i on.
func runLength(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// infoLanguage keeps the first word of a fence's info string when it looks like
// a language name; anything else is dropped rather than echoed into a fence.
func infoLanguage(info string) string {
	fields := strings.Fields(info)
	if len(fields) == 0 || len(fields[0]) > 20 {
		return ""
	}
	for _, r := range fields[0] {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("+-_.#", r))) {
			return ""
		}
	}
	return strings.ToLower(fields[0])
}

func indentOf(line string) int {
	return len(line) - len(strings.TrimLeft(line, " \t"))
}

// dedent removes up to n leading spaces or tabs, the fence's own indentation.
func dedent(line string, n int) string {
	i := 0
	for i < n && i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return line[i:]
}

// dedentAll removes the indentation common to all lines.
func dedentAll(lines []string) string {
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if n := indentOf(l); common < 0 || n < common {
			common = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = dedent(l, common)
	}
	return strings.Join(out, "\n")
}

// htmlBlockTags open an HTML block whatever follows them on the line, after
// CommonMark's block start conditions 1 and 6 (abridged), plus the embed
// elements a documentation snippet is made of.
var htmlBlockTags = map[string]bool{
	"script": true, "style": true, "pre": true, "textarea": true, "iframe": true, "noscript": true,
	"template": true, "link": true, "meta": true, "html": true, "head": true, "body": true,
	"div": true, "p": true, "section": true, "article": true, "aside": true, "nav": true,
	"header": true, "footer": true, "main": true, "form": true, "table": true, "thead": true,
	"tbody": true, "tr": true, "td": true, "th": true, "ul": true, "ol": true, "li": true,
	"dl": true, "dt": true, "dd": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "blockquote": true, "details": true, "summary": true, "hr": true,
}

// startsHTMLBlock reports whether a line starts a raw HTML block: a comment,
// declaration or processing instruction, a block-level or embed element, or a
// line of nothing but tags. A line that merely opens with an inline tag
// ("<b>Note:</b> restart") is prose; safeProse makes its tags inert. Autolinks
// such as <https://…> are not HTML.
func startsHTMLBlock(trimmed string) bool {
	if !htmlTagAt(trimmed, 0) || autolinkAt(trimmed, 0) {
		return false
	}
	if trimmed[1] == '!' || trimmed[1] == '?' || strings.HasSuffix(trimmed, ">") {
		return true
	}
	name := strings.TrimPrefix(trimmed[1:], "/")
	end := strings.IndexFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' })
	if end >= 0 {
		name = name[:end]
	}
	return htmlBlockTags[strings.ToLower(name)]
}

// htmlTagAt reports whether s[i] is '<' followed by what may start a tag.
func htmlTagAt(s string, i int) bool {
	if i+1 >= len(s) || s[i] != '<' {
		return false
	}
	c := s[i+1]
	return c == '/' || c == '!' || c == '?' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// autolinkAt reports whether s[i:] starts an http(s) or mailto autolink.
func autolinkAt(s string, i int) bool {
	end := strings.IndexByte(s[i:], '>')
	if end < 0 {
		return false
	}
	link := strings.ToLower(s[i+1 : i+end])
	if strings.ContainsAny(link, " \t<\"'`") {
		return false
	}
	return strings.HasPrefix(link, "https://") || strings.HasPrefix(link, "http://") || strings.HasPrefix(link, "mailto:")
}

func isHeading(trimmed string) bool {
	n := runLength(trimmed, 0, '#')
	return n >= 1 && n <= 6 && (n == len(trimmed) || trimmed[n] == ' ' || trimmed[n] == '\t')
}

// isThematicBreak matches "---", "***", "___" (also spaced), and setext underlines "===".
func isThematicBreak(trimmed string) bool {
	if len(trimmed) < 3 {
		return false
	}
	c := trimmed[0]
	if c != '-' && c != '*' && c != '_' && c != '=' {
		return false
	}
	count := 0
	for i := 0; i < len(trimmed); i++ {
		switch trimmed[i] {
		case c:
			count++
		case ' ', '\t':
		default:
			return false
		}
	}
	return count >= 3
}

// isTableDelimiter matches a table's header delimiter row, e.g. "|---|:--:|".
func isTableDelimiter(trimmed string) bool {
	if !strings.Contains(trimmed, "-") || !strings.Contains(trimmed, "|") {
		return false
	}
	return strings.Trim(trimmed, "|-: \t") == ""
}

// tableRow turns "| `data-key` | the channel key |" into "`data-key` — the channel key".
func tableRow(trimmed string) string {
	var cells []string
	for _, c := range strings.Split(strings.Trim(trimmed, "|"), "|") {
		if c = strings.TrimSpace(c); c != "" {
			cells = append(cells, c)
		}
	}
	return strings.Join(cells, " — ")
}

// listItem recognizes a bullet ("- ", "* ", "+ ") or ordered ("3. ", "3) ")
// item and returns its marker (bullets normalized to "-") and its text.
func listItem(trimmed string) (marker, rest string, ok bool) {
	if len(trimmed) >= 2 && strings.IndexByte("-*+", trimmed[0]) >= 0 && (trimmed[1] == ' ' || trimmed[1] == '\t') {
		return "-", strings.TrimSpace(trimmed[2:]), true
	}
	digits := 0
	for digits < len(trimmed) && digits < 9 && '0' <= trimmed[digits] && trimmed[digits] <= '9' {
		digits++
	}
	if digits == 0 || digits+1 >= len(trimmed) {
		return "", "", false
	}
	if d := trimmed[digits]; (d == '.' || d == ')') && (trimmed[digits+1] == ' ' || trimmed[digits+1] == '\t') {
		return trimmed[:digits+1], strings.TrimSpace(trimmed[digits+2:]), true
	}
	return "", "", false
}
