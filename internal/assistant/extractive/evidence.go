package extractive

import (
	"slices"

	"github.com/docentchat/docent/internal/assistant"
	"github.com/docentchat/docent/internal/store"
)

// Default thresholds on Passage.Coverage, the share of the question's distinct
// search terms found in a passage. Coverage is scale-free, unlike the BM25
// score, so one pair of thresholds works for a ten-page collection and a
// ten-thousand-page one alike.
//
//   - DefaultAnswerCoverage 0.6: most of what was asked appears together in one
//     passage. For the usual two to four content words that means all but at
//     most one of them, which in practice is the passage that answers.
//   - DefaultPartialCoverage 0.3: some of the question is covered, e.g. one of
//     two or three content words. Quoting it may help, but the visitor must be
//     told it may be incomplete (PROTOCOL §7: partial answer with a caveat).
//   - Below that the passage shares a word or two with the question by chance,
//     and quoting it would be inventing an answer: the reply is a notice that
//     nothing was found, with no sources, so that the chat engine can escalate.
const (
	DefaultAnswerCoverage  = 0.6
	DefaultPartialCoverage = 0.3
	DefaultMaxSentences    = 4

	// maxPassages is how many passages an answer quotes from: beyond the top
	// three, retrieval has usually drifted to neighbouring topics.
	maxPassages = 3
	// minRelativeScore drops a passage that scores far below the best one even
	// when it covers the question's words, which happens when the words are
	// common in the collection and the passage merely mentions them.
	minRelativeScore = 0.35
)

// usablePassages returns the indexes (best first) of the passages a reply may
// quote, and the reply kind the evidence supports: KindAnswer when the best
// passage reaches AnswerCoverage (and then only passages that do are quoted),
// KindPartial when it reaches PartialCoverage, else KindNotice and no passage.
// Passages without a positive score are ignored: a retriever gives a positive
// score to anything that matched at all.
//
// A partial reply also needs two of the question's content words in one
// passage when the question has two or more: one shared word ("meaning" in
// "the meaning of life" against a table header "Meaning") is chance, not
// evidence, and quoting it would be inventing an answer.
func (p *Provider) usablePassages(passages []assistant.Passage, questionTerms int) ([]int, store.Kind) {
	var (
		used     []int
		best     float64
		topScore float64
	)
	for i, ps := range passages {
		if ps.Score <= 0 || ps.Coverage < p.opts.PartialCoverage || ps.Coverage <= 0 {
			continue
		}
		if len(used) == 0 {
			topScore = ps.Score
		} else if ps.Score < minRelativeScore*topScore {
			continue
		}
		used = append(used, i)
		best = max(best, ps.Coverage)
		if len(used) == maxPassages {
			break
		}
	}
	switch {
	case len(used) == 0:
		return nil, store.KindNotice
	case best < p.opts.AnswerCoverage && questionTerms >= 2 && best*float64(questionTerms) < 1.5:
		return nil, store.KindNotice
	case best >= p.opts.AnswerCoverage:
		// A strong answer quotes strong passages only: padding it with
		// passages that merely share a word reads as noise.
		return slices.DeleteFunc(used, func(i int) bool {
			return passages[i].Coverage < p.opts.AnswerCoverage
		}), store.KindAnswer
	default:
		return used, store.KindPartial
	}
}
