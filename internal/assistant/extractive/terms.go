package extractive

import (
	"strings"

	"github.com/docentchat/docent/internal/knowledge"
)

// termSet is a set of normalized search terms.
type termSet map[string]struct{}

// contentTerms returns the terms of text that carry meaning. It uses the
// index's own normalization (knowledge.Terms) so that a sentence matches the
// question exactly when the index would say it does. Stopwords are dropped
// unless nothing else is left ("What is it?" still has terms).
func contentTerms(text string) termSet {
	all := knowledge.Terms(text)
	set := make(termSet, len(all))
	for _, t := range all {
		if !knowledge.IsStopword(t) {
			set[t] = struct{}{}
		}
	}
	if len(set) == 0 {
		for _, t := range all {
			set[t] = struct{}{}
		}
	}
	return set
}

// overlap is the fraction of the question's terms that occur in terms.
func overlap(question, terms termSet) float64 {
	if len(question) == 0 {
		return 0
	}
	hits := 0
	for t := range question {
		if _, ok := terms[t]; ok {
			hits++
		}
	}
	return float64(hits) / float64(len(question))
}

// nearDuplicate reports whether two units say the same thing: equal text once
// case and spacing are ignored, or term sets that are at least 80% the same
// (Jaccard), as when a page repeats a sentence with one word changed.
func nearDuplicate(a, b *candidate) bool {
	if foldSpace(a.text) == foldSpace(b.text) {
		return true
	}
	if len(a.terms) == 0 || len(b.terms) == 0 {
		return false
	}
	shared := 0
	for t := range a.terms {
		if _, ok := b.terms[t]; ok {
			shared++
		}
	}
	union := len(a.terms) + len(b.terms) - shared
	return float64(shared)/float64(union) >= 0.8
}

func foldSpace(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// howToCues mark questions that ask for a procedure, in the shipped languages;
// for them a matching code block is the most useful part of a passage.
var howToCues = []string{
	"how ", "how?", "how-to", "show me", "example", "snippet", "code", "install", "embed",
	"set up", "setup", "configure", "command", "syntax",
	"wie ", "wie?", "beispiel", "einbinden", "einbetten", "einrichten", "installier",
	"cómo", "como ", "ejemplo", "instalar", "configurar", "insertar",
	"comment", "exemple", "intégrer", "installer", "configurer",
	"как ", "как?", "пример", "установить", "встроить", "настроить",
	"كيف", "مثال", "تثبيت", "تضمين",
	"どうやって", "どのように", "方法", "手順", "例", "埋め込", "設定", "インストール",
	"如何", "怎麼", "怎么", "怎樣", "範例", "嵌入", "安裝", "設定",
}

// isHowTo reports whether question asks how to do something.
func isHowTo(question string) bool {
	q := strings.ToLower(question) + " "
	for _, cue := range howToCues {
		if strings.Contains(q, cue) {
			return true
		}
	}
	return false
}
