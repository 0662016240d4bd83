package extractive

import (
	"context"
	"iter"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxDeltaRunes caps a delta cut from a long run without spaces (a URL, a
// minified line) so that streaming stays smooth.
const maxDeltaRunes = 32

// deltas splits text into the pieces a visitor sees arrive: a word with the
// whitespace after it, or one or two CJK characters (Chinese and Japanese put
// no spaces between words). Leading whitespace travels with the first piece.
// The pieces concatenate to text exactly.
func deltas(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for start := 0; start < len(text); {
			end := pieceEnd(text, start)
			if !yield(text[start:end]) {
				return
			}
			start = end
		}
	}
}

// pieceEnd returns the end of the piece that starts at start.
func pieceEnd(text string, start int) int {
	i := skipSpaces(text, start)
	if i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isCJK(r) {
			i += size
			if r2, size2 := utf8.DecodeRuneInString(text[i:]); i < len(text) && isCJK(r2) {
				i += size2
			}
		} else {
			for n := 0; i < len(text) && n < maxDeltaRunes; n++ {
				r, size := utf8.DecodeRuneInString(text[i:])
				if unicode.IsSpace(r) || isCJK(r) {
					break
				}
				i += size
			}
		}
	}
	return skipSpaces(text, i)
}

func skipSpaces(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

// isCJK reports scripts written without spaces between words, and their
// punctuation and marks: CJK symbols, kana (with the prolonged sound mark ー,
// which Unicode files under no script), and full-width forms.
func isCJK(r rune) bool {
	return (r >= 0x3000 && r <= 0x30FF) || (r >= 0xFF00 && r <= 0xFFEF) ||
		unicode.In(r, unicode.Han, unicode.Hangul)
}

// emitPaced sends text delta by delta, waiting pace between deltas. It stops
// at once when ctx ends or emit fails and returns the text emitted so far:
// the delta whose emit failed is not counted, since the caller could not take
// it. The wait is a timer raced against ctx, so a cancelled visitor costs
// nothing while paced.
func emitPaced(ctx context.Context, text string, pace time.Duration, emit func(string) error) (string, error) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	sent := 0
	for delta := range deltas(text) {
		if sent > 0 && pace > 0 {
			if timer == nil {
				timer = time.NewTimer(pace)
			} else {
				timer.Reset(pace)
			}
			select {
			case <-ctx.Done():
				return text[:sent], ctx.Err()
			case <-timer.C:
			}
		}
		if err := ctx.Err(); err != nil {
			return text[:sent], err
		}
		if err := emit(delta); err != nil {
			return text[:sent], err
		}
		sent += len(delta)
	}
	return text, nil
}

// charsPerToken is the usual rough ratio of characters to tokens for
// alphabetic text; CJK characters count one token each.
const charsPerToken = 4

// estimateTokens counts tokens roughly, for budgets and the QA surface. It
// needs no tokenizer and errs high for CJK, which is the safe side for a budget.
func estimateTokens(s string) int {
	cjk, other := 0, 0
	for _, r := range s {
		if isCJK(r) {
			cjk++
		} else {
			other++
		}
	}
	return cjk + (other+charsPerToken-1)/charsPerToken
}
