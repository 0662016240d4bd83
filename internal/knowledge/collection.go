package knowledge

import (
	"slices"
	"strings"
	"sync"

	"github.com/docentchat/docent/internal/store"
)

// A posting packs a chunk slot (high 24 bits) and the term's frequency in
// that chunk (low 8 bits, capped: BM25 saturates long before 255) into one
// uint32: 4 bytes per (term, chunk) pair, and a term's postings sorted by slot
// because slots only grow.
const (
	postingTFBits = 8
	maxTF         = 1<<postingTFBits - 1
	maxSlots      = 1<<(32-postingTFBits) - 1
)

// collection is the index of one collection. Chunks live in slots; removing
// a chunk leaves a hole (length 0, skipped by searches) until compaction
// renumbers the slots.
type collection struct {
	mu        sync.RWMutex
	chunks    []store.Chunk       // by slot
	lengths   []uint32            // indexed terms per slot; 0 marks an empty slot
	docs      map[string][]uint32 // document id → its slots
	dict      map[string]uint32   // term → term id
	postings  [][]uint32          // term id → postings, ascending by slot
	df        []uint32            // term id → live chunks containing the term
	live      int                 // chunks searchable
	dead      int                 // holes left by removed chunks
	liveTerms int                 // terms with df > 0
	totalLen  uint64              // sum of lengths, for the average chunk length

	// Scratch of the writer (the write lock is held).
	tf      []uint16
	touched []uint32

	scratch sync.Pool // *searchScratch, one per concurrent search
}

func newCollection() *collection {
	return &collection{docs: make(map[string][]uint32), dict: make(map[string]uint32)}
}

// add indexes a chunk in a new slot. A chunk without any term cannot be
// found and is not kept.
func (c *collection) add(ch store.Chunk) error {
	if len(c.chunks) >= maxSlots {
		c.compact()
		if len(c.chunks) >= maxSlots {
			return ErrIndexFull
		}
	}
	n := c.countTerms(ch, true)
	if n == 0 {
		return nil
	}
	slot := uint32(len(c.chunks))
	for _, id := range c.touched {
		tf := min(uint32(c.tf[id]), maxTF)
		c.postings[id] = append(c.postings[id], slot<<postingTFBits|tf)
		if c.df[id] == 0 {
			c.liveTerms++
		}
		c.df[id]++
		c.tf[id] = 0
	}
	c.touched = c.touched[:0]
	c.chunks = append(c.chunks, ch)
	c.lengths = append(c.lengths, n)
	c.docs[ch.DocumentID] = append(c.docs[ch.DocumentID], slot)
	c.live++
	c.totalLen += uint64(n)
	return nil
}

// countTerms tokenizes what is indexed of a chunk (title, headings, text)
// into c.tf and c.touched and returns its length in terms. With create,
// unknown terms are added to the dictionary; without, they are ignored.
func (c *collection) countTerms(ch store.Chunk, create bool) uint32 {
	var n uint32
	count := func(t []byte) {
		id, ok := c.dict[string(t)]
		if !ok {
			if !create {
				return
			}
			id = uint32(len(c.postings))
			c.dict[string(t)] = id
			c.postings = append(c.postings, nil)
			c.df = append(c.df, 0)
			c.tf = append(c.tf, 0)
		}
		if c.tf[id] == 0 {
			c.touched = append(c.touched, id)
		}
		if c.tf[id] < 1<<16-1 {
			c.tf[id]++
		}
		n++
	}
	forEachTerm(ch.Title, count)
	for _, h := range ch.HeadingPath {
		if !strings.EqualFold(h, ch.Title) {
			forEachTerm(h, count)
		}
	}
	forEachTerm(ch.Text, count)
	return n
}

// removeDocument empties the slots of a document, and compacts once holes
// make up a fifth of the slots.
func (c *collection) removeDocument(documentID string) {
	for _, slot := range c.docs[documentID] {
		c.countTerms(c.chunks[slot], false)
		for _, id := range c.touched {
			c.df[id]--
			if c.df[id] == 0 {
				c.liveTerms--
			}
			c.tf[id] = 0
		}
		c.touched = c.touched[:0]
		c.totalLen -= uint64(c.lengths[slot])
		c.lengths[slot] = 0
		c.chunks[slot] = store.Chunk{}
		c.live--
		c.dead++
	}
	delete(c.docs, documentID)
	if c.dead > 64 && c.dead*4 > c.live {
		c.compact()
	}
}

// compact renumbers the live slots densely (keeping their order, so postings
// stay sorted) and forgets terms no live chunk has.
func (c *collection) compact() {
	remap := make([]uint32, len(c.chunks))
	chunks := make([]store.Chunk, 0, c.live)
	lengths := make([]uint32, 0, c.live)
	for s, n := range c.lengths {
		if n > 0 {
			remap[s] = uint32(len(chunks))
			chunks = append(chunks, c.chunks[s])
			lengths = append(lengths, n)
		}
	}
	dict := make(map[string]uint32, c.liveTerms)
	postings := make([][]uint32, 0, c.liveTerms)
	df := make([]uint32, 0, c.liveTerms)
	for term, id := range c.dict {
		if c.df[id] == 0 {
			continue
		}
		kept := c.postings[id][:0]
		for _, p := range c.postings[id] {
			if s := p >> postingTFBits; c.lengths[s] > 0 {
				kept = append(kept, remap[s]<<postingTFBits|p&maxTF)
			}
		}
		dict[term] = uint32(len(postings))
		postings = append(postings, shrink(kept))
		df = append(df, c.df[id])
	}
	for doc, slots := range c.docs {
		for i, s := range slots {
			slots[i] = remap[s]
		}
		c.docs[doc] = slots
	}
	c.chunks, c.lengths = chunks, lengths
	c.dict, c.postings, c.df = dict, postings, df
	c.tf = make([]uint16, len(postings))
	c.dead = 0
}

// trim returns the spare capacity that appending left in postings lists,
// after a bulk build.
func (c *collection) trim() {
	for i, p := range c.postings {
		c.postings[i] = shrink(p)
	}
}

// shrink copies a postings list whose spare capacity exceeds an eighth.
func shrink(p []uint32) []uint32 {
	if cap(p)-len(p) > len(p)/8+2 {
		return slices.Clone(p)
	}
	return p
}
