package knowledge

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

const (
	// maxQueryTerms bounds the work of a long question: only its rarest
	// terms are scored (coverage still counts all of them).
	maxQueryTerms = 64
	// maxHits bounds k.
	maxHits = 1000
)

// Search returns the k best chunks of one collection for query, best first;
// ties are broken by source, then ordinal, so equal states give equal
// results. There is deliberately no way to search without a collection: a
// query can only ever see its own tenant's documents (PI-07).
//
// The query's stopwords are ignored when it has other terms ("how do I reset
// my password" is scored on reset and password); a query of stopwords only
// is scored on all of them.
func (ix *Index) Search(collectionID, query string, k int) []Hit {
	if k <= 0 {
		return nil
	}
	c := ix.collection(collectionID, false)
	if c == nil {
		return nil
	}
	terms := queryTerms(query)
	if len(terms) == 0 {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.search(terms, min(k, maxHits))
}

// queryTerms returns the distinct terms a query is scored on.
func queryTerms(query string) []string {
	var all, content []string
	seen := make(map[string]bool)
	forEachTerm(query, func(t []byte) {
		if seen[string(t)] {
			return
		}
		term := string(t)
		seen[term] = true
		all = append(all, term)
		if !IsStopword(term) {
			content = append(content, term)
		}
	})
	if len(content) == 0 {
		return all
	}
	return content
}

// queryTerm is a query term found in the collection.
type queryTerm struct {
	postings []uint32
	weight   float32 // idf × (k1+1)
	df       uint32
}

// searchScratch is the per-search score accumulator: acc is indexed by slot
// and all zero between searches; touched lists the slots that scored.
type searchScratch struct {
	acc     []float32
	touched []uint32
}

// search scores term at a time into a dense accumulator (postings are read
// sequentially, slots ascending), then keeps the top k with a heap.
func (c *collection) search(terms []string, k int) []Hit {
	if c.live == 0 {
		return nil
	}
	n := float64(c.live)
	qs := make([]queryTerm, 0, len(terms))
	for _, t := range terms {
		id, ok := c.dict[t]
		if !ok || c.df[id] == 0 {
			continue
		}
		df := float64(c.df[id])
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		qs = append(qs, queryTerm{postings: c.postings[id], weight: float32(idf * (bm25K1 + 1)), df: c.df[id]})
	}
	if len(qs) == 0 {
		return nil
	}
	if len(qs) > maxQueryTerms {
		slices.SortStableFunc(qs, func(a, b queryTerm) int { return cmp.Compare(a.df, b.df) })
		qs = qs[:maxQueryTerms]
	}

	sc, _ := c.scratch.Get().(*searchScratch)
	if sc == nil {
		sc = &searchScratch{}
	}
	if len(sc.acc) < len(c.chunks) {
		sc.acc = make([]float32, len(c.chunks))
	}
	acc, touched := sc.acc, sc.touched[:0]
	avgLen := float64(c.totalLen) / n
	c0, c1 := float32(bm25K1*(1-bm25B)), float32(bm25K1*bm25B/avgLen)
	lengths := c.lengths
	for _, q := range qs {
		w := q.weight
		for _, p := range q.postings {
			s := p >> postingTFBits
			dl := lengths[s]
			if dl == 0 { // removed chunk
				continue
			}
			tf := float32(p & maxTF)
			if acc[s] == 0 {
				touched = append(touched, s)
			}
			acc[s] += w * tf / (tf + c0 + c1*float32(dl))
		}
	}
	top := c.topK(acc, touched, k)
	for _, s := range touched {
		acc[s] = 0
	}
	sc.touched = touched
	c.scratch.Put(sc)

	hits := make([]Hit, len(top))
	for i, r := range top {
		ch := c.chunks[r.slot]
		ch.HeadingPath = slices.Clone(ch.HeadingPath)
		hits[i] = Hit{Chunk: ch, Score: float64(r.score), Coverage: c.coverage(terms, r.slot)}
	}
	return hits
}

// coverage is the fraction of terms that occur in the chunk at slot.
func (c *collection) coverage(terms []string, slot uint32) float64 {
	found := 0
	for _, t := range terms {
		if id, ok := c.dict[t]; ok && hasSlot(c.postings[id], slot) {
			found++
		}
	}
	return float64(found) / float64(len(terms))
}

func hasSlot(postings []uint32, slot uint32) bool {
	lo := slot << postingTFBits
	i := sort.Search(len(postings), func(i int) bool { return postings[i] >= lo })
	return i < len(postings) && postings[i]>>postingTFBits == slot
}

type ranked struct {
	slot  uint32
	score float32
}

// better orders results: higher score first, then by source and ordinal so
// that ties do not depend on ingestion history.
func (c *collection) better(a, b ranked) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	ca, cb := &c.chunks[a.slot], &c.chunks[b.slot]
	if ca.Source != cb.Source {
		return ca.Source < cb.Source
	}
	if ca.Ordinal != cb.Ordinal {
		return ca.Ordinal < cb.Ordinal
	}
	if ca.ID != cb.ID {
		return ca.ID < cb.ID
	}
	return a.slot < b.slot
}

// topK keeps the k best of the touched slots in a min-heap whose root is the
// worst kept, and returns them best first.
func (c *collection) topK(acc []float32, touched []uint32, k int) []ranked {
	heap := make([]ranked, 0, min(k, len(touched)))
	for _, s := range touched {
		r := ranked{slot: s, score: acc[s]}
		switch {
		case len(heap) < k:
			heap = append(heap, r)
			c.siftUp(heap, len(heap)-1)
		case r.score >= heap[0].score && c.better(r, heap[0]):
			heap[0] = r
			c.siftDown(heap, 0)
		}
	}
	slices.SortFunc(heap, func(a, b ranked) int {
		if c.better(a, b) {
			return -1
		}
		return 1
	})
	return heap
}

func (c *collection) siftUp(h []ranked, i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !c.better(h[parent], h[i]) {
			return
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
}

func (c *collection) siftDown(h []ranked, i int) {
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && c.better(h[worst], h[l]) {
			worst = l
		}
		if r < len(h) && c.better(h[worst], h[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}
