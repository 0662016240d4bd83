package extractive

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/docentchat/docent/internal/assistant"
)

// candidate is a unit of a usable passage together with its evidence.
type candidate struct {
	unit
	rank    int // position of the passage among the usable ones (0 = best)
	terms   termSet
	overlap float64
	score   float64
}

// Scoring weights. Overlap with the question (0..1) dominates; the passage's
// rank breaks ties between equally matching units in favour of the passage the
// retriever trusted most; a passage's opening sentence, which usually states
// its point, gets a nudge.
const (
	rankBonus    = 0.2
	openingBonus = 0.05
)

// rankWeight is the bonus of a unit from the passage of this rank (0 = best).
func rankWeight(rank int) float64 {
	return rankBonus / float64(1+rank)
}

// maxLeadInItems caps how many list items follow a selected sentence that
// introduces them ("You can start it in four ways:").
const maxLeadInItems = 8

// selectUnits picks what the answer quotes from the usable passages, in reading
// order (passage rank, then position in the passage). It never returns an
// empty slice when the passages have any text.
func (p *Provider) selectUnits(question string, passages [][]candidate) []*candidate {
	q := contentTerms(question)
	var pool []*candidate
	for _, units := range passages {
		for i := range units {
			c := &units[i]
			c.terms = contentTerms(c.text)
			c.overlap = overlap(q, c.terms)
			c.score = c.overlap + rankWeight(c.rank)
			if c.pos == 0 {
				c.score += openingBonus
			}
			pool = append(pool, c)
		}
	}
	chosen := p.bestSentences(pool)
	chosen = addLeadInFollowers(chosen, passages)
	if isHowTo(question) && !hasCode(chosen) {
		chosen = addBestCode(chosen, pool, passages)
	}
	if len(chosen) == 0 {
		chosen = firstUnit(passages)
	}
	slices.SortFunc(chosen, func(a, b *candidate) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.pos, b.pos))
	})
	return slices.CompactFunc(chosen, func(a, b *candidate) bool { return a == b })
}

// relativeOverlap is how much of the best unit's share of the question terms
// another unit needs to be quoted: a sentence that matches one word of a
// question whose best sentence matches three is off the point.
const relativeOverlap = 0.6

// bestSentences takes up to MaxSentences prose units by score, skipping units
// whose overlap with the question falls well below the best unit's, and
// near-duplicates of those taken.
func (p *Provider) bestSentences(pool []*candidate) []*candidate {
	var bestOverlap float64
	for _, c := range pool {
		bestOverlap = max(bestOverlap, c.overlap)
	}
	floor := relativeOverlap * bestOverlap
	ranked := slices.Clone(pool)
	slices.SortStableFunc(ranked, func(a, b *candidate) int { return cmp.Compare(b.score, a.score) })
	var chosen []*candidate
	for _, c := range ranked {
		if len(chosen) == p.opts.MaxSentences {
			break
		}
		if c.kind == unitCode || c.overlap == 0 || c.overlap < floor || isDuplicateOfAny(c, chosen) {
			continue
		}
		chosen = append(chosen, c)
	}
	return chosen
}

func isDuplicateOfAny(c *candidate, chosen []*candidate) bool {
	for _, o := range chosen {
		if nearDuplicate(c, o) {
			return true
		}
	}
	return false
}

// addLeadInFollowers completes a chosen unit that ends with a colon with what
// it introduces: the code block or the list items right after it. Without
// them "Add this snippet to your page:" would be a dangling promise.
func addLeadInFollowers(chosen []*candidate, passages [][]candidate) []*candidate {
	out := chosen
	for _, c := range chosen {
		if !endsWithColon(c.text) {
			continue
		}
		units := passages[c.rank]
		next := c.pos + 1
		if next < len(units) && units[next].kind == unitCode {
			out = append(out, follower(&units[next], c.score))
			continue
		}
		for i := next; i < len(units) && i < next+maxLeadInItems && units[i].kind == unitListItem; i++ {
			out = append(out, follower(&units[i], c.score))
		}
	}
	return out
}

// follower gives a unit at least the score of the unit that introduces it, so
// that a token budget drops the two together rather than the follower first.
func follower(c *candidate, leadScore float64) *candidate {
	c.score = max(c.score, leadScore)
	return c
}

func endsWithColon(s string) bool {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	return strings.HasSuffix(s, ":") || strings.HasSuffix(s, "：")
}

func hasCode(units []*candidate) bool {
	return slices.ContainsFunc(units, func(c *candidate) bool { return c.kind == unitCode })
}

// addBestCode adds, for a how-to question, the code block that best matches
// it, and the sentence that introduces the code when it ends with a colon. A
// snippet is judged together with its introduction: "Add the loader to your
// page:" says what the <script> tag is for.
func addBestCode(chosen, pool []*candidate, passages [][]candidate) []*candidate {
	var best *candidate
	var bestScore float64
	for _, c := range pool {
		if c.kind != unitCode {
			continue
		}
		match := c.overlap
		if lead := leadInOf(c, passages); lead != nil {
			match = max(match, lead.overlap) + c.overlap/2
		}
		if match == 0 {
			continue
		}
		if score := match + rankWeight(c.rank); best == nil || score > bestScore {
			best, bestScore = c, score
		}
	}
	if best == nil {
		return chosen
	}
	// The code is what a how-to question asks for: a token budget drops it last.
	best.score = bestScore + 1
	chosen = append(chosen, best)
	if lead := leadInOf(best, passages); lead != nil && lead.kind == unitSentence && endsWithColon(lead.text) {
		chosen = append(chosen, follower(lead, best.score))
	}
	return chosen
}

// leadInOf returns the prose unit right before c in its passage, if any.
func leadInOf(c *candidate, passages [][]candidate) *candidate {
	if c.pos == 0 {
		return nil
	}
	if lead := &passages[c.rank][c.pos-1]; lead.kind != unitCode {
		return lead
	}
	return nil
}

// firstUnit is the fallback when no unit shares a term with the question (the
// match was in the title or heading): the top passage's opening, with what it
// introduces.
func firstUnit(passages [][]candidate) []*candidate {
	for _, units := range passages {
		if len(units) > 0 {
			return addLeadInFollowers([]*candidate{&units[0]}, passages)
		}
	}
	return nil
}

// candidatesOf parses the usable passages into candidates, one slice per passage.
func candidatesOf(passages []assistant.Passage, used []int) [][]candidate {
	out := make([][]candidate, len(used))
	for rank, idx := range used {
		units := parseUnits(passages[idx].Text)
		cands := make([]candidate, len(units))
		for i, u := range units {
			cands[i] = candidate{unit: u, rank: rank}
		}
		out[rank] = cands
	}
	return out
}
