package knowledge

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxTermBytes bounds one term so that a pasted blob (base64, a minified
// line) cannot bloat the dictionary; longer words are cut at a rune boundary,
// identically at indexing and query time.
const maxTermBytes = 64

// Terms returns the normalized search terms of text, in reading order and with
// repeats. Indexing and querying both use it, so a word matches whatever its
// case, accents or (light) inflection: lowercased, Latin diacritics folded
// (é→e, ß→ss), Russian ё→е, Arabic vowel marks and letter variants unified,
// CJK runs split into overlapping character bigrams, and English-style
// plural/-ing/-ed endings removed.
func Terms(text string) []string {
	var out []string
	forEachTerm(text, func(t []byte) { out = append(out, string(t)) })
	return out
}

// runClass tells which kind of character run a rune belongs to.
type runClass uint8

const (
	classOther    runClass = iota // a word character of a space-separated script
	classHan                      // Chinese characters (and kanji)
	classHiragana                 // Japanese hiragana
	classKatakana                 // Japanese katakana
	classHangul                   // Korean
)

// forEachTerm calls emit with every term of text in order. The slice given to
// emit is reused afterwards: emit must copy it to keep it. This is the
// allocation-free core that the index calls for every chunk.
func forEachTerm(text string, emit func(term []byte)) {
	if needsNFC(text) {
		// Decomposed input (e + combining acute) must fold like precomposed é,
		// and й must stay й rather than и + breve.
		text = norm.NFC.String(text)
	}
	tk := tokenizer{emit: emit, word: make([]byte, 0, 32)}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				if len(tk.run) > 0 {
					tk.flushRun()
				}
				tk.word = append(tk.word, c)
			case 'A' <= c && c <= 'Z':
				if len(tk.run) > 0 {
					tk.flushRun()
				}
				tk.word = append(tk.word, c+('a'-'A'))
			default:
				if len(tk.word) > 0 {
					tk.flushWord()
				}
				if len(tk.run) > 0 {
					tk.flushRun()
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		tk.addRune(r)
	}
	tk.flushWord()
	tk.flushRun()
}

// needsNFC reports whether text may hold decomposed characters. ASCII text,
// the common case, is answered with one cheap scan.
func needsNFC(text string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			return !norm.NFC.IsNormalString(text)
		}
	}
	return false
}

// tokenizer accumulates the current word (space-separated scripts) or the
// current CJK run, and emits terms when either ends.
type tokenizer struct {
	emit     func([]byte)
	word     []byte
	run      []rune
	runClass runClass
	scratch  []byte
}

func (tk *tokenizer) addRune(r rune) {
	if isInvisible(r) || isFoldedMark(r) {
		// Zero-width characters must not split a word: "pass\u200Bword" is
		// "password" to the reader, so it is to the index (PI-09).
		return
	}
	if class := cjkClass(r); class != classOther {
		tk.flushWord()
		if class != tk.runClass {
			tk.flushRun()
			tk.runClass = class
		}
		tk.run = append(tk.run, r)
		return
	}
	tk.flushRun()
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
		tk.flushWord()
		return
	}
	tk.word = appendFolded(tk.word, r)
}

func (tk *tokenizer) flushWord() {
	if len(tk.word) == 0 {
		return
	}
	w := truncateTerm(stem(tk.word))
	if len(w) > 0 {
		tk.emit(w)
	}
	tk.word = tk.word[:0]
}

// flushRun emits a CJK run as overlapping bigrams ("密码重置" → 密码 码重 重置),
// or as itself when it is one character long. Without a dictionary, bigrams
// are the standard way to match words in text that has no spaces.
func (tk *tokenizer) flushRun() {
	switch len(tk.run) {
	case 0:
		return
	case 1:
		tk.scratch = utf8.AppendRune(tk.scratch[:0], tk.run[0])
		tk.emit(tk.scratch)
	default:
		for i := 0; i+1 < len(tk.run); i++ {
			tk.scratch = utf8.AppendRune(tk.scratch[:0], tk.run[i])
			tk.scratch = utf8.AppendRune(tk.scratch, tk.run[i+1])
			tk.emit(tk.scratch)
		}
	}
	tk.run = tk.run[:0]
	tk.runClass = classOther
}

// truncateTerm cuts w to maxTermBytes at a rune boundary.
func truncateTerm(w []byte) []byte {
	if len(w) <= maxTermBytes {
		return w
	}
	cut := maxTermBytes
	for cut > 0 && !utf8.RuneStart(w[cut]) {
		cut--
	}
	return w[:cut]
}

// cjkClass classifies the scripts written without spaces. Kana and kanji form
// separate runs so that Japanese particles (を, は, の) stand alone as
// stopwords instead of gluing content words into noisy bigrams.
func cjkClass(r rune) runClass {
	switch {
	case r < 0x1100:
		return classOther
	case unicode.Is(unicode.Han, r):
		return classHan
	case unicode.Is(unicode.Hiragana, r):
		return classHiragana
	case unicode.Is(unicode.Katakana, r), r == 'ー', r == 'ｰ':
		return classKatakana
	case unicode.Is(unicode.Hangul, r):
		return classHangul
	}
	return classOther
}
