package extractive

import (
	"strings"

	"github.com/docentchat/docent/internal/assistant"
	"github.com/docentchat/docent/internal/store"
)

const (
	// maxSources is how many documents a reply cites.
	maxSources = 3
	// maxSnippetRunes bounds a citation's snippet.
	maxSnippetRunes = 240
)

// sourcesOf cites each distinct document the answer quoted, in rank order. A
// document is identified by its source path, else its URL, else its title, so
// two chunks of one page give one citation. The snippet is the best-scored
// unit quoted from that document, as plain text.
func sourcesOf(passages []assistant.Passage, used []int, units []*candidate) []store.Source {
	var out []store.Source
	seen := map[string]bool{}
	for rank, idx := range used {
		best := bestUnitOfRank(units, rank)
		if best == nil {
			continue
		}
		ps := passages[idx]
		key := cmpOr(ps.Source, ps.URL, ps.Title)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, store.Source{
			Title:   cmpOr(ps.Title, lastOf(ps.HeadingPath), ps.Source),
			URL:     ps.URL,
			Path:    ps.Source,
			Snippet: snippet(best.text),
			Score:   ps.Score,
		})
		if len(out) == maxSources {
			break
		}
	}
	return out
}

// bestUnitOfRank returns the highest-scored quoted unit of one passage,
// preferring prose over code, which reads poorly as a one-line snippet.
func bestUnitOfRank(units []*candidate, rank int) *candidate {
	var best *candidate
	for _, u := range units {
		if u.rank != rank {
			continue
		}
		if best == nil || (best.kind == unitCode && u.kind != unitCode) ||
			((best.kind == unitCode) == (u.kind == unitCode) && u.score > best.score) {
			best = u
		}
	}
	return best
}

func snippet(text string) string {
	return truncateRunes(strings.Join(strings.Fields(text), " "), maxSnippetRunes-1) // room for "…"
}

// cmpOr returns the first non-blank string.
func cmpOr(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func lastOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}
