package knowledge

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/docentchat/docent/internal/store"
)

func testChunk(collectionID, documentID string, ordinal int, text string) store.Chunk {
	return store.Chunk{
		ID: fmt.Sprintf("%s/%d", documentID, ordinal), CollectionID: collectionID, DocumentID: documentID,
		Ordinal: ordinal, Source: documentID + ".md", Title: "", Text: text,
	}
}

// mustReplace indexes chunks, grouped by document, as ingestion does.
func mustReplace(t testing.TB, ix *Index, chunks ...store.Chunk) {
	t.Helper()
	byDoc := map[[2]string][]store.Chunk{}
	var order [][2]string
	for _, ch := range chunks {
		key := [2]string{ch.CollectionID, ch.DocumentID}
		if _, ok := byDoc[key]; !ok {
			order = append(order, key)
		}
		byDoc[key] = append(byDoc[key], ch)
	}
	for _, key := range order {
		if err := ix.ReplaceDocument(key[0], key[1], byDoc[key]); err != nil {
			t.Fatal(err)
		}
	}
}

func describe(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s score=%.3f cov=%.2f", h.Chunk.ID, h.Score, h.Coverage))
	}
	return out
}

func hitIDs(hits []Hit) []string {
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.Chunk.ID)
	}
	return ids
}

func TestSearchRanksExactMatchFirst(t *testing.T) {
	ix := NewIndex()
	mustReplace(t, ix,
		testChunk("c", "billing", 0, "Invoices are sent monthly. Update the billing email in the billing settings."),
		testChunk("c", "security", 0, "To reset your password open the security settings and follow the reset link we email you."),
		testChunk("c", "widget", 0, "Embed the widget with one script tag. The widget loads lazily and never blocks the page."),
		testChunk("c", "profile", 0, "Your profile settings hold your name, avatar and password hint."),
	)
	hits := ix.Search("c", "reset password email link", 10)
	if len(hits) == 0 || hits[0].Chunk.DocumentID != "security" {
		t.Fatalf("first hit should be the security chunk; got %v", describe(hits))
	}
	if hits[0].Coverage != 1 {
		t.Errorf("coverage of the exact match = %v, want 1", hits[0].Coverage)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("hits not sorted by score: %v", describe(hits))
		}
		if hits[i].Coverage >= 1 {
			t.Errorf("%s has coverage %v but lacks query terms", hits[i].Chunk.ID, hits[i].Coverage)
		}
	}
}

func TestSearchCoverage(t *testing.T) {
	ix := NewIndex()
	mustReplace(t, ix,
		testChunk("c", "a", 0, "Reset the password from the security page."),
		testChunk("c", "b", 0, "The password policy requires twelve characters."),
		testChunk("c", "c", 0, "How to start: this is where you begin."),
	)
	tests := []struct {
		query string
		doc   string
		want  float64
	}{
		{"reset password", "a", 1},
		{"reset password", "b", 0.5},
		{"how do I reset my password", "a", 1},       // stopwords do not count
		{"reset password xyzzy", "a", 2.0 / 3},       // unknown terms count as missing
		{"How to", "c", 1},                           // only stopwords: all terms count
		{"how to reset the password", "b", 0.5},      // partial
		{"Passwords RESETTING", "a", 1},              // inflection and case
		{"password password password", "b", 1},       // repeated terms count once
		{"security policy characters", "b", 2.0 / 3}, // two of three
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var found *Hit
			hits := ix.Search("c", tt.query, 10)
			for i := range hits {
				if hits[i].Chunk.DocumentID == tt.doc {
					found = &hits[i]
				}
			}
			if found == nil {
				t.Fatalf("%s not among hits %v", tt.doc, describe(hits))
			}
			if math.Abs(found.Coverage-tt.want) > 1e-9 {
				t.Errorf("coverage of %s = %v, want %v", tt.doc, found.Coverage, tt.want)
			}
		})
	}
}

func TestSearchReturnsNothing(t *testing.T) {
	ix := NewIndex()
	mustReplace(t, ix, testChunk("c", "a", 0, "Reset the password from the security page."))
	tests := []struct {
		name, collection, query string
		k                       int
	}{
		{"empty query", "c", "", 5},
		{"punctuation only", "c", "?!", 5},
		{"unknown words", "c", "xyzzy plugh", 5},
		{"stopwords absent from the collection", "c", "why would they", 5},
		{"zero k", "c", "password", 0},
		{"negative k", "c", "password", -1},
		{"unknown collection", "other", "password", 5},
		{"no collection", "", "password", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if hits := ix.Search(tt.collection, tt.query, tt.k); len(hits) != 0 {
				t.Errorf("got %v, want no hits", describe(hits))
			}
		})
	}
}

// TestPI07SearchNeverCrossesCollections: a query that matches another
// collection's chunk word for word returns nothing from it.
func TestPI07SearchNeverCrossesCollections(t *testing.T) {
	ix := NewIndex()
	secret := "Internal runbook: rotate the production database credentials every Friday."
	mustReplace(t, ix,
		testChunk("tenant-a", "faq", 0, "Our opening hours are nine to five on weekdays."),
		testChunk("tenant-b", "runbook", 0, secret),
	)
	if hits := ix.Search("tenant-a", secret, 10); len(hits) != 0 {
		t.Fatalf("tenant-a search returned %v", describe(hits))
	}
	if hits := ix.Search("tenant-b", secret, 10); len(hits) != 1 || hits[0].Chunk.CollectionID != "tenant-b" {
		t.Fatalf("tenant-b search returned %v, want its runbook", describe(hits))
	}
}

func TestReplaceAndRemoveDocument(t *testing.T) {
	ix := NewIndex()
	mustReplace(t, ix,
		testChunk("c", "doc", 0, "The old pricing page lists three plans."),
		testChunk("c", "doc", 1, "Plans are billed yearly."),
		testChunk("c", "keep", 0, "Support answers within one business day."),
	)
	if chunks, _ := ix.Stats("c"); chunks != 3 {
		t.Fatalf("Stats chunks = %d, want 3", chunks)
	}
	if err := ix.ReplaceDocument("c", "doc", []store.Chunk{testChunk("c", "doc", 0, "The new pricing page lists four tiers.")}); err != nil {
		t.Fatal(err)
	}
	if hits := ix.Search("c", "plans billed", 10); len(hits) != 0 {
		t.Errorf("replaced text still found: %v", describe(hits))
	}
	if hits := ix.Search("c", "tiers", 10); len(hits) != 1 || hits[0].Chunk.DocumentID != "doc" {
		t.Errorf("new text not found: %v", describe(hits))
	}
	if chunks, _ := ix.Stats("c"); chunks != 2 {
		t.Errorf("Stats chunks = %d after replace, want 2", chunks)
	}
	ix.RemoveDocument("c", "doc")
	if hits := ix.Search("c", "pricing tiers", 10); len(hits) != 0 {
		t.Errorf("removed document still found: %v", describe(hits))
	}
	_, termsBefore := ix.Stats("c")
	ix.RemoveDocument("c", "keep")
	if chunks, terms := ix.Stats("c"); chunks != 0 || terms != 0 {
		t.Errorf("Stats = %d chunks, %d terms after removing everything (had %d terms), want 0, 0", chunks, terms, termsBefore)
	}
	ix.RemoveDocument("c", "never-indexed") // no effect, no panic
	ix.RemoveDocument("no-such-collection", "doc")
}

// TestCompactionKeepsResults replaces documents until removed chunks are
// compacted away several times, and checks that searches answer exactly as
// an index built from the final documents does.
func TestCompactionKeepsResults(t *testing.T) {
	words := strings.Fields("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau")
	text := func(doc, version int) string {
		var b strings.Builder
		for i := range 12 {
			b.WriteString(words[(doc*7+version*3+i*i)%len(words)] + " ")
		}
		return b.String()
	}
	churned, fresh := NewIndex(), NewIndex()
	const docs = 150
	for version := range 6 {
		for d := range docs {
			id := fmt.Sprintf("d%03d", d)
			mustReplace(t, churned, testChunk("c", id, 0, text(d, version)), testChunk("c", id, 1, text(d+docs, version)))
		}
	}
	for d := range docs {
		id := fmt.Sprintf("d%03d", d)
		mustReplace(t, fresh, testChunk("c", id, 0, text(d, 5)), testChunk("c", id, 1, text(d+docs, 5)))
	}
	for _, q := range []string{"alpha", "beta gamma", "theta iota kappa", "pi rho sigma tau mu"} {
		got, want := churned.Search("c", q, 20), fresh.Search("c", q, 20)
		if fmt.Sprint(describe(got)) != fmt.Sprint(describe(want)) {
			t.Errorf("query %q after churn:\n got %v\nwant %v", q, describe(got), describe(want))
		}
	}
	gotChunks, gotTerms := churned.Stats("c")
	wantChunks, wantTerms := fresh.Stats("c")
	if gotChunks != wantChunks || gotTerms != wantTerms {
		t.Errorf("Stats after churn = %d, %d; fresh = %d, %d", gotChunks, gotTerms, wantChunks, wantTerms)
	}
}

func TestSearchTiesAreDeterministic(t *testing.T) {
	ix := NewIndex()
	// Same text in every document: equal scores, so order is by source.
	for _, doc := range []string{"zeta", "alpha", "mid"} {
		mustReplace(t, ix, testChunk("c", doc, 0, "identical passage about webhooks"))
	}
	got := hitIDs(ix.Search("c", "webhooks", 10))
	want := []string{"alpha/0", "mid/0", "zeta/0"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tie order = %v, want %v (by source)", got, want)
	}
	if top := hitIDs(ix.Search("c", "webhooks", 2)); fmt.Sprint(top) != fmt.Sprint(want[:2]) {
		t.Errorf("top-2 = %v, want %v", top, want[:2])
	}
}

func TestSearchLongQuery(t *testing.T) {
	ix := NewIndex()
	var words []string
	for i := range 100 {
		words = append(words, fmt.Sprintf("term%d", i))
	}
	mustReplace(t, ix, testChunk("c", "half", 0, strings.Join(words[:50], " ")))
	hits := ix.Search("c", strings.Join(words, " "), 5)
	if len(hits) != 1 {
		t.Fatalf("hits = %v, want the one chunk", describe(hits))
	}
	if hits[0].Coverage != 0.5 {
		t.Errorf("coverage = %v, want 0.5 (50 of 100 terms, beyond the scored maximum)", hits[0].Coverage)
	}
}

func TestHitsAreCopies(t *testing.T) {
	ix := NewIndex()
	ch := testChunk("c", "a", 0, "rate limits per channel")
	ch.HeadingPath = []string{"Limits"}
	mustReplace(t, ix, ch)
	ix.Search("c", "rate limits", 1)[0].Chunk.HeadingPath[0] = "changed"
	if got := ix.Search("c", "rate limits", 1)[0].Chunk.HeadingPath[0]; got != "Limits" {
		t.Errorf("heading path changed through a hit: %q", got)
	}
}

func TestTitleAndHeadingsAreSearchable(t *testing.T) {
	ix := NewIndex()
	ch := testChunk("c", "guide", 0, "Run the command below and wait for it to finish.")
	ch.Title = "Docent deployment guide"
	ch.HeadingPath = []string{"Kubernetes"}
	mustReplace(t, ix, ch, testChunk("c", "other", 0, "Run the tests before you send a change."))
	for _, q := range []string{"kubernetes", "deployment command"} {
		if hits := ix.Search("c", q, 1); len(hits) != 1 || hits[0].Chunk.DocumentID != "guide" {
			t.Errorf("query %q: %v, want the guide", q, describe(hits))
		}
	}
}

// TestConcurrentSearchDuringReplace runs searches while documents are
// replaced (run with -race): every hit must be a whole, current chunk.
func TestConcurrentSearchDuringReplace(t *testing.T) {
	ix := NewIndex()
	for d := range 50 {
		mustReplace(t, ix, testChunk("c", fmt.Sprintf("d%d", d), 0, "stable shared words plus version0"))
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				for _, h := range ix.Search("c", "shared words", 10) {
					if !strings.HasPrefix(h.Chunk.Text, "stable shared words") || h.Chunk.DocumentID == "" {
						select {
						case errs <- fmt.Sprintf("torn hit %+v", h.Chunk):
						default:
						}
					}
				}
			}
		}()
	}
	for v := range 200 {
		d := fmt.Sprintf("d%d", v%50)
		if err := ix.ReplaceDocument("c", d, []store.Chunk{testChunk("c", d, 0, fmt.Sprintf("stable shared words plus version%d", v))}); err != nil {
			t.Error(err)
		}
		if v%7 == 0 {
			ix.RemoveDocument("c", fmt.Sprintf("d%d", (v+3)%50))
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestLoadRebuildsFromStore(t *testing.T) {
	st := newMemStore()
	ctx := context.Background()
	colA, _ := st.EnsureCollection(ctx, "a")
	colB, _ := st.EnsureCollection(ctx, "b")
	mustPut(t, st, colA.ID, "guide.md", "Webhooks retry five times with exponential backoff.")
	mustPut(t, st, colB.ID, "faq.md", "Refunds are processed within ten days.")

	ix := NewIndex()
	mustReplace(t, ix, testChunk(colA.ID, "stale", 0, "stale content from before the load"))
	if err := ix.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	if hits := ix.Search(colA.ID, "stale content", 5); len(hits) != 0 {
		t.Errorf("Load kept earlier content: %v", describe(hits))
	}
	if hits := ix.Search(colA.ID, "webhooks retry", 5); len(hits) != 1 || hits[0].Chunk.ID == "" {
		t.Errorf("collection a after Load: %v", describe(hits))
	}
	if hits := ix.Search(colB.ID, "refunds", 5); len(hits) != 1 {
		t.Errorf("collection b after Load: %v", describe(hits))
	}

	st.failChunks = true
	if err := ix.Load(ctx, st); err == nil {
		t.Error("Load succeeded although the store failed")
	}
	if hits := ix.Search(colB.ID, "refunds", 5); len(hits) != 1 {
		t.Errorf("a failed Load must leave the index as it was: %v", describe(hits))
	}
}
