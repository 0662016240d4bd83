package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// appendFolded appends the search form of one word character: lowercased,
// with the spelling variants that readers treat as the same letter unified.
func appendFolded(dst []byte, r rune) []byte {
	r = unicode.ToLower(r)
	switch {
	case r < 0x250 || (0x1E00 <= r && r < 0x1F00):
		if s := latinFold(r); s != "" {
			return append(dst, s...)
		}
	case r == 'ё':
		r = 'е'
	case r == 'ς':
		r = 'σ'
	case 0x600 <= r && r < 0x700:
		r = foldArabic(r)
	case 0xFF10 <= r && r <= 0xFF5A:
		// Full-width Latin letters and digits, common in Japanese text.
		if a := r - 0xFF01 + 0x21; a < utf8.RuneSelf {
			return append(dst, byte(unicode.ToLower(a)))
		}
	}
	return utf8.AppendRune(dst, r)
}

// foldArabic unifies the alef, yaa and taa marbuta variants that writers use
// interchangeably, and maps Arabic-Indic digits to ASCII.
func foldArabic(r rune) rune {
	switch {
	case r == 'أ', r == 'إ', r == 'آ', r == 'ٱ':
		return 'ا'
	case r == 'ى', r == 'ی':
		return 'ي'
	case r == 'ة':
		return 'ه'
	case r == 'ک':
		return 'ك'
	case '٠' <= r && r <= '٩':
		return '0' + r - '٠'
	case '۰' <= r && r <= '۹':
		return '0' + r - '۰'
	}
	return r
}

// isInvisible reports characters that render as nothing: zero-width spaces
// and joiners, bidi controls, the soft hyphen, the Arabic tatweel (a purely
// visual stretch) and the byte-order mark.
func isInvisible(r rune) bool {
	switch {
	case r == 0xAD, r == 0x640, r == 0x180E, r == 0xFEFF:
		return true
	case 0x200B <= r && r <= 0x200F, 0x202A <= r && r <= 0x202E,
		0x2060 <= r && r <= 0x2064, 0x2066 <= r && r <= 0x2069:
		return true
	}
	return false
}

// isFoldedMark reports combining marks that searches ignore: Latin, Greek and
// Cyrillic diacritics left after NFC, and Arabic harakat. Marks of other
// scripts (Indic vowel signs) are part of the word and kept.
func isFoldedMark(r rune) bool {
	switch {
	case 0x300 <= r && r <= 0x36F, 0x64B <= r && r <= 0x65F, r == 0x670:
		return true
	case 0x6D6 <= r && r <= 0x6ED:
		return unicode.Is(unicode.Mn, r)
	}
	return false
}

// latinFoldLow covers Latin-1, Latin Extended-A and B; latinFoldExt covers
// Latin Extended Additional (Vietnamese and others). An empty entry means
// the rune is kept as is.
var (
	latinFoldLow = buildLatinFold(0, 0x250)
	latinFoldExt = buildLatinFold(0x1E00, 0x1F00)
)

// latinFold returns the ASCII spelling of a lowercase Latin letter with
// diacritics, or "" when it has none.
func latinFold(r rune) string {
	switch {
	case r < utf8.RuneSelf:
		return ""
	case r < 0x250:
		return latinFoldLow[r]
	case 0x1E00 <= r && r < 0x1F00:
		return latinFoldExt[r-0x1E00]
	}
	return ""
}

// latinSpecial are letters that do not decompose into a base letter plus
// marks but that readers of the languages we serve spell out in ASCII.
var latinSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d",
	'ð': "d", 'þ': "th", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŀ': "l",
}

func buildLatinFold(lo, hi rune) []string {
	table := make([]string, hi-lo)
	for r := lo; r < hi; r++ {
		if r < utf8.RuneSelf || !unicode.IsLetter(r) {
			continue
		}
		if s, ok := latinSpecial[r]; ok {
			table[r-lo] = s
			continue
		}
		var b strings.Builder
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				b.WriteRune(unicode.ToLower(d))
			}
		}
		if s := b.String(); s != "" && isASCII(s) {
			table[r-lo] = s
		}
	}
	return table
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
