package extractive

import (
	"strings"
)

// renderUnits turns chosen units (in reading order) into Markdown blocks:
// adjacent sentences of one paragraph become one paragraph again, adjacent
// list items one list, and code a fenced block. Blocks are separated by a
// blank line so that none can continue another.
func renderUnits(units []*candidate) string {
	var blocks []string
	for i := 0; i < len(units); {
		u := units[i]
		j := i + 1
		switch u.kind {
		case unitCode:
			blocks = append(blocks, codeFence(u.text, u.lang))
		case unitListItem:
			lines := []string{listLine(u)}
			for ; j < len(units) && units[j].kind == unitListItem && units[j].rank == u.rank; j++ {
				lines = append(lines, listLine(units[j]))
			}
			blocks = append(blocks, strings.Join(lines, "\n"))
		default:
			sentences := []string{safeProse(u.text)}
			for ; j < len(units) && units[j].kind == unitSentence && units[j].rank == u.rank && units[j].para == u.para; j++ {
				sentences = append(sentences, safeProse(units[j].text))
			}
			blocks = append(blocks, strings.Join(sentences, " "))
		}
		i = j
	}
	return strings.Join(blocks, "\n\n")
}

func listLine(u *candidate) string {
	return u.marker + " " + safeProse(u.text)
}

// fitBudget drops the lowest-scored units until the rendered
// text fits maxTokens, and shortens a single remaining unit if it still does
// not. overhead is the token count of text around the units (the caveat).
// maxTokens <= 0 means no limit.
func fitBudget(units []*candidate, maxTokens int, overhead int) []*candidate {
	if maxTokens <= 0 {
		return units
	}
	for len(units) > 1 && estimateTokens(renderUnits(units))+overhead > maxTokens {
		units = dropLowest(units)
	}
	if len(units) == 1 && estimateTokens(renderUnits(units))+overhead > maxTokens {
		shortened := *units[0]
		shortened.text = truncateRunes(shortened.text, max(1, (maxTokens-overhead)*charsPerToken))
		units = []*candidate{&shortened}
	}
	return units
}

// dropLowest removes the unit with the lowest score, keeping reading order.
func dropLowest(units []*candidate) []*candidate {
	lowest := 0
	for i, u := range units {
		if u.score < units[lowest].score {
			lowest = i
		}
	}
	out := make([]*candidate, 0, len(units)-1)
	out = append(out, units[:lowest]...)
	return append(out, units[lowest+1:]...)
}

// truncateRunes shortens s to at most n runes, at a word boundary when one is
// near, and marks the cut with an ellipsis.
func truncateRunes(s string, n int) string {
	runes := []rune(s)
	if len(runes) <= n {
		return s
	}
	cut := string(runes[:n])
	if sp := strings.LastIndexAny(cut, " \t\n"); sp > len(cut)/2 {
		cut = cut[:sp]
	}
	return strings.TrimRight(cut, " \t\n") + "…"
}
