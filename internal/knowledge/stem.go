package knowledge

import "unicode/utf8"

// stem removes inflection endings from a folded word, in place. It is light
// on purpose: it only has to send the forms a visitor and a writer are likely
// to use for the same thing to the same term, and a wrong merge costs
// precision, so every rule keeps a minimum stem. It needs no language tag:
// Latin-script words get English-style rules (which also catch the most
// common German, French and Spanish plurals), Cyrillic words Russian endings,
// Arabic words the definite-article prefixes.
func stem(w []byte) []byte {
	switch script := wordScript(w); script {
	case scriptLatin:
		return stemLatin(w)
	case scriptCyrillic:
		return stemRussian(w)
	case scriptArabic:
		return stripArabicArticle(w)
	}
	return w
}

type script uint8

const (
	scriptMixed script = iota
	scriptLatin
	scriptCyrillic
	scriptArabic
)

// wordScript tells whether w is made only of a-z, only of Cyrillic or only
// of Arabic letters. Words with digits or mixed scripts are never stemmed.
func wordScript(w []byte) script {
	if w[0] < utf8.RuneSelf {
		for _, c := range w {
			if c < 'a' || c > 'z' {
				return scriptMixed
			}
		}
		return scriptLatin
	}
	first, _ := utf8.DecodeRune(w)
	lo, hi, s := rune(0x430), rune(0x44F), scriptCyrillic
	if first >= 0x600 && first < 0x700 {
		lo, hi, s = 0x621, 0x64A, scriptArabic
	}
	for i := 0; i < len(w); {
		r, n := utf8.DecodeRune(w[i:])
		if r < lo || r > hi {
			return scriptMixed
		}
		i += n
	}
	return s
}

// hasSuffix is bytes.HasSuffix for a string suffix, without allocating.
func hasSuffix(w []byte, suffix string) bool {
	return len(w) >= len(suffix) && string(w[len(w)-len(suffix):]) == suffix
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// stemLatin: plural -s/-es/-ies, then -ing/-ed/-ied, then -en (German plurals
// and English participles), then a final -e, so that embed, embeds,
// embedding, embedded meet, and so do make/making, use/used/using,
// Dokument/Dokumente/Dokumenten, configuración/configuraciones.
func stemLatin(w []byte) []byte {
	if len(w) > 3 {
		w = stripPlural(w)
		w = stripVerbEnding(w)
		if n := len(w); n >= 6 && w[n-2] == 'e' && w[n-1] == 'n' {
			w = undouble(w[:n-2])
		}
	}
	for len(w) >= 3 && w[len(w)-1] == 'e' {
		w = w[:len(w)-1]
	}
	return w
}

func stripPlural(w []byte) []byte {
	n := len(w)
	switch {
	case hasSuffix(w, "sses"):
		return w[:n-2]
	case hasSuffix(w, "ies") && n > 4:
		w = w[:n-2]
		w[n-3] = 'y'
		return w
	case hasSuffix(w, "ss"), hasSuffix(w, "us"), hasSuffix(w, "is"):
		return w
	case w[n-1] == 's':
		return w[:n-1]
	}
	return w
}

func stripVerbEnding(w []byte) []byte {
	n := len(w)
	if hasSuffix(w, "ied") && n > 4 {
		w = w[:n-2]
		w[n-3] = 'y'
		return w
	}
	var base []byte
	switch {
	case hasSuffix(w, "ing"):
		base = w[:n-3]
	case hasSuffix(w, "ed"):
		base = w[:n-2]
	default:
		return w
	}
	if !plausibleBase(base) {
		return w
	}
	return undouble(base)
}

// plausibleBase guards the -ing/-ed rule against words where the ending is
// part of the word: "thing", "string", "need", "speed", "embed". Short bases
// must look like a real short word: consonant-vowel-consonant (make, save),
// vowel-consonant (use, owe), or vowel-consonant-consonant (ask, add, end) —
// except -mb, because "embed" is not emb+ed.
func plausibleBase(b []byte) bool {
	switch len(b) {
	case 0, 1:
		return false
	case 2:
		return isVowel(b[0]) && !isVowel(b[1])
	case 3:
		return isVowel(b[1]) || (isVowel(b[0]) && b[2] != 'b')
	}
	return true
}

// undouble turns "embedd" (from embedding) into "embed" and "runn" into
// "run"; ll, ss and zz are kept (call, pass, buzz), and so are three-letter
// words (add, err, odd).
func undouble(w []byte) []byte {
	n := len(w)
	if n >= 4 && w[n-1] == w[n-2] && !isVowel(w[n-1]) {
		switch w[n-1] {
		case 'l', 's', 'z':
		default:
			return w[:n-1]
		}
	}
	return w
}

// russianEndings are case, number and verb endings, longest first; one is
// removed when at least three letters remain (настройки/настройках →
// настройк, пароль/пароля → парол, сбросить → сброс).
var russianEndings = []string{
	"иями", "ться",
	"ого", "его", "ому", "ему", "ыми",
	"ими", "ями", "ами", "иях", "ией",
	"иям", "ить", "ать", "ять", "еть",
	"тся", "ешь", "ете", "ите",
	"ая", "яя", "ое", "ее", "ые",
	"ие", "ый", "ий", "ой", "ую",
	"юю", "ом", "ем", "ам", "ям",
	"ах", "ях", "ов", "ев", "ей",
	"ию", "ия", "ью", "ья", "их",
	"ых", "ть", "ся", "ет", "ут",
	"ют", "ит", "ат", "ят",
	"а", "я", "о", "е", "ы",
	"и", "у", "ю", "ь", "й",
}

// minRussianStem is three Cyrillic letters (two bytes each in UTF-8).
const minRussianStem = 3 * 2

func stemRussian(w []byte) []byte {
	for _, end := range russianEndings {
		if len(w)-len(end) >= minRussianStem && hasSuffix(w, end) {
			return w[:len(w)-len(end)]
		}
	}
	return w
}

// arabicArticles are the definite article and its fused prepositions and
// conjunctions (وال، بال، كال، فال، لل); without removing them "المرور"
// would never match "مرور".
var arabicArticles = []string{
	"وال", "بال", "كال", "فال", "ال", "لل",
}

// minArabicStem is two Arabic letters (two bytes each in UTF-8).
const minArabicStem = 2 * 2

func stripArabicArticle(w []byte) []byte {
	for _, prefix := range arabicArticles {
		if len(w)-len(prefix) >= minArabicStem && string(w[:len(prefix)]) == prefix {
			return w[len(prefix):]
		}
	}
	return w
}
