package identity

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds nesting: claims are flat (an aud array is depth 2), so
// anything deeper is not a credential we issue or accept.
const maxJSONDepth = 4

// errStrictJSON is wrapped by every strict-parse failure. Messages name the
// rule and an offset, never the offending text.
var errStrictJSON = errors.New("strict json")

type strictJSONError struct {
	rule   string
	offset int
}

func (e *strictJSONError) Error() string { return "strict json: " + e.rule }
func (e *strictJSONError) Unwrap() error { return errStrictJSON }

// parseStrictObject parses data as exactly one JSON object and returns it as
// encoding/json would with UseNumber (map[string]any, []any, string,
// json.Number, bool, nil) — but only when encoding/json could not be fooled:
// it refuses duplicate keys, keys equal under case folding (encoding/json
// matches struct fields case-insensitively and lets the last one win),
// invalid UTF-8, escaped lone surrogates (silently turned into U+FFFD by
// encoding/json, which would let two host ids collapse into one), control
// characters (raw or escaped, C0, DEL and C1), nesting deeper than
// maxJSONDepth, a non-object top level and trailing data.
func parseStrictObject(data []byte) (map[string]any, error) {
	p := strictParser{data: data}
	p.skipSpace()
	if p.pos >= len(data) || data[p.pos] != '{' {
		return nil, p.fail("top level is not an object")
	}
	obj, err := p.object(1)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(data) {
		return nil, p.fail("trailing data")
	}
	return obj, nil
}

type strictParser struct {
	data []byte
	pos  int
}

func (p *strictParser) fail(rule string) error {
	return &strictJSONError{rule: rule, offset: p.pos}
}

func (p *strictParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *strictParser) value(depth int) (any, error) {
	if p.pos >= len(p.data) {
		return nil, p.fail("unexpected end")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case p.literal("true"):
		return true, nil
	case p.literal("false"):
		return false, nil
	case p.literal("null"):
		return nil, nil
	default:
		return nil, p.fail("unexpected character")
	}
}

func (p *strictParser) literal(word string) bool {
	if !strings.HasPrefix(string(p.data[p.pos:min(len(p.data), p.pos+len(word))]), word) {
		return false
	}
	p.pos += len(word)
	return true
}

func (p *strictParser) object(depth int) (map[string]any, error) {
	obj := map[string]any{}
	folded := map[string]bool{}
	if empty, err := p.open(depth, '}'); err != nil || empty {
		return obj, err
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.fail("expected key")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if _, dup := obj[key]; dup {
			return nil, p.fail("duplicate key")
		}
		fk := foldKey(key)
		if folded[fk] {
			return nil, p.fail("case-variant duplicate key")
		}
		folded[fk] = true
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.fail("expected colon")
		}
		p.pos++
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		obj[key] = v
		if done, err := p.separator('}', "expected comma or closing brace"); err != nil || done {
			return obj, err
		}
	}
}

func (p *strictParser) array(depth int) ([]any, error) {
	arr := []any{}
	if empty, err := p.open(depth, ']'); err != nil || empty {
		return arr, err
	}
	for {
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		if done, err := p.separator(']', "expected comma or closing bracket"); err != nil || done {
			return arr, err
		}
	}
}

// open enters an object or array at its opening character, within
// maxJSONDepth, and reports whether it closes at once (empty).
func (p *strictParser) open(depth int, closing byte) (empty bool, err error) {
	if depth > maxJSONDepth {
		return false, p.fail("nesting too deep")
	}
	p.pos++ // '{' or '['
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == closing {
		p.pos++
		return true, nil
	}
	return false, nil
}

// separator reads what follows a member or an element: a comma (more
// follow) or the closing character (done); anything else breaks rule.
func (p *strictParser) separator(closing byte, rule string) (done bool, err error) {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return false, p.fail("unexpected end")
	}
	switch p.data[p.pos] {
	case ',':
		p.pos++
		return false, nil
	case closing:
		p.pos++
		return true, nil
	}
	return false, p.fail(rule)
}

// foldKey maps a key to the smallest rune of each rune's simple case-folding
// orbit, so foldKey(a) == foldKey(b) exactly when strings.EqualFold(a, b) —
// the same equivalence encoding/json uses to match struct fields.
func foldKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}

func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// str parses a string starting at its opening quote.
func (p *strictParser) str() (string, error) {
	p.pos++ // '"'
	var b strings.Builder
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
		case c < utf8.RuneSelf:
			if isControl(rune(c)) {
				return "", p.fail("control character in string")
			}
			b.WriteByte(c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", p.fail("invalid UTF-8")
			}
			if isControl(r) {
				return "", p.fail("control character in string")
			}
			b.WriteRune(r)
			p.pos += size
		}
	}
	return "", p.fail("unterminated string")
}

// escape decodes one escape sequence starting at its backslash. Escapes of
// control characters (\b \f \n \r \t, \u0000…) are refused like raw ones.
func (p *strictParser) escape() (rune, error) {
	if p.pos+1 >= len(p.data) {
		return 0, p.fail("unterminated escape")
	}
	c := p.data[p.pos+1]
	p.pos += 2
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'u':
	default:
		return 0, p.fail("escaped control character or invalid escape")
	}
	r, ok := p.hex4()
	if !ok {
		return 0, p.fail("invalid unicode escape")
	}
	switch {
	case utf16.IsSurrogate(r) && r < 0xDC00: // high half: a low half must follow
		if p.pos+1 >= len(p.data) || p.data[p.pos] != '\\' || p.data[p.pos+1] != 'u' {
			return 0, p.fail("lone surrogate")
		}
		p.pos += 2
		lo, ok := p.hex4()
		if !ok || lo < 0xDC00 || lo > 0xDFFF {
			return 0, p.fail("lone surrogate")
		}
		r = utf16.DecodeRune(r, lo)
	case utf16.IsSurrogate(r):
		return 0, p.fail("lone surrogate")
	case isControl(r):
		return 0, p.fail("escaped control character")
	}
	return r, nil
}

func (p *strictParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	p.pos += 4
	return r, true
}

// number checks RFC 8259 number grammar and returns the literal text.
func (p *strictParser) number() (json.Number, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(p.data) && p.data[p.pos] == '0':
		p.pos++
	case p.digits() == 0:
		return "", p.fail("invalid number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if p.digits() == 0 {
			return "", p.fail("invalid number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if p.digits() == 0 {
			return "", p.fail("invalid number")
		}
	}
	return json.Number(p.data[start:p.pos]), nil
}

func (p *strictParser) digits() int {
	n := 0
	for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
		p.pos++
		n++
	}
	return n
}
