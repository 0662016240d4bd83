package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/docentchat/docent/internal/store"
)

const (
	collectionID     = "bench"
	chunksPerDoc     = 10
	minChunkWords    = 100
	maxChunkWords    = 140 // uniform in between: 120 words on average
	zipfExponent     = 1.07
	wordsPerSentence = 15
)

// syllables build pronounceable synthetic words of 2–4 syllables.
var syllables = strings.Fields(`ba be bi bo bu da de di do du fa fe fi fo ga ge go
ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru
sa se si so su ta te ti to tu va ve vi vo za zo zu bar ker lin mor tan vel dor fin gal
hun jor kel mar nor pel quin ros sel tor ul vam wen yor zan ch sh th str pl tr`)

// corpus is a deterministic synthetic collection: a vocabulary ranked by
// frequency and chunks whose words follow a Zipf law over it, like text.
type corpus struct {
	vocab  []string
	chunks []store.Chunk
	zipf   *rand.Zipf
	rng    *rand.Rand
}

func newCorpus(seed uint64, vocabSize, chunkCount int) *corpus {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	c := &corpus{vocab: vocabulary(rng, vocabSize), rng: rng}
	c.zipf = rand.NewZipf(rng, zipfExponent, 1, uint64(vocabSize-1))
	c.chunks = make([]store.Chunk, chunkCount)
	var b strings.Builder
	for i := range c.chunks {
		b.Reset()
		words := minChunkWords + rng.IntN(maxChunkWords-minChunkWords+1)
		for w := range words {
			word := c.vocab[c.zipf.Uint64()]
			switch {
			case w%wordsPerSentence == 0:
				if w > 0 {
					b.WriteString(". ")
				}
				b.WriteString(strings.ToUpper(word[:1]) + word[1:])
			default:
				b.WriteByte(' ')
				b.WriteString(word)
			}
		}
		b.WriteByte('.')
		doc := i / chunksPerDoc
		c.chunks[i] = store.Chunk{
			ID:           fmt.Sprintf("c%07d", i),
			DocumentID:   fmt.Sprintf("d%06d", doc),
			CollectionID: collectionID,
			Ordinal:      i % chunksPerDoc,
			Source:       fmt.Sprintf("docs/doc-%06d.md", doc),
			Text:         b.String(),
		}
	}
	return c
}

func vocabulary(rng *rand.Rand, size int) []string {
	seen := make(map[string]bool, size)
	vocab := make([]string, 0, size)
	for len(vocab) < size {
		n := 2 + rng.IntN(3)
		var w strings.Builder
		for range n {
			w.WriteString(syllables[rng.IntN(len(syllables))])
		}
		if word := w.String(); !seen[word] {
			seen[word] = true
			vocab = append(vocab, word)
		}
	}
	return vocab
}

// queries draws n queries of 2–5 words from the same Zipf law as the text,
// so they include frequent words with long postings, as real questions do.
func (c *corpus) queries(n int) []string {
	out := make([]string, n)
	for i := range out {
		words := make([]string, 2+c.rng.IntN(4))
		for j := range words {
			words[j] = c.vocab[c.zipf.Uint64()]
		}
		out[i] = strings.Join(words, " ")
	}
	return out
}

func (c *corpus) rawBytes() int {
	n := 0
	for _, ch := range c.chunks {
		n += len(ch.Text)
	}
	return n
}

func (c *corpus) words() int {
	n := 0
	for _, ch := range c.chunks {
		n += strings.Count(ch.Text, " ") + 1
	}
	return n
}

// ListCollections and Chunks let the index load the corpus as it loads the store.
func (c *corpus) ListCollections(context.Context) ([]store.Collection, error) {
	return []store.Collection{{ID: collectionID, Name: collectionID}}, nil
}

func (c *corpus) Chunks(context.Context, string) ([]store.Chunk, error) {
	return c.chunks, nil
}
