package knowledge

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/docentchat/docent/internal/store"
)

// BM25 parameters: the usual defaults, which suit chunks of similar length.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// ErrIndexFull is returned when a collection would exceed maxSlots chunks.
var ErrIndexFull = errors.New("knowledge: collection index is full")

// Hit is one ranked search result.
type Hit struct {
	Chunk store.Chunk
	// Score is the BM25 score (higher is better, unnormalized).
	Score float64
	// Coverage is the fraction (0..1) of the query's distinct non-stopword
	// terms (all its terms when it has only stopwords) found in the chunk.
	Coverage float64
}

// ChunkSource is what Load needs from the store.
type ChunkSource interface {
	ListCollections(ctx context.Context) ([]store.Collection, error)
	// Chunks returns every chunk of a collection, ordered by document then ordinal.
	Chunks(ctx context.Context, collectionID string) ([]store.Chunk, error)
}

// Index is an in-memory BM25 index with one independent part per
// collection. It is safe for concurrent use: searches of a collection run in
// parallel and wait only for writes to that same collection.
type Index struct {
	mu          sync.RWMutex
	collections map[string]*collection
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{collections: make(map[string]*collection)}
}

// Load rebuilds the whole index from the store (at start). It replaces what
// the index held; writes made while it runs may be lost, so call it before
// serving or ingesting.
func (ix *Index) Load(ctx context.Context, src ChunkSource) error {
	cols, err := src.ListCollections(ctx)
	if err != nil {
		return fmt.Errorf("knowledge: load collections: %w", err)
	}
	built := make(map[string]*collection, len(cols))
	for _, col := range cols {
		c, err := buildCollection(ctx, src, col.ID)
		if err != nil {
			return err
		}
		built[col.ID] = c
	}
	ix.mu.Lock()
	ix.collections = built
	ix.mu.Unlock()
	return nil
}

// LoadCollection rebuilds one collection from the store (a reindex).
func (ix *Index) LoadCollection(ctx context.Context, src ChunkSource, collectionID string) error {
	c, err := buildCollection(ctx, src, collectionID)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	ix.collections[collectionID] = c
	ix.mu.Unlock()
	return nil
}

func buildCollection(ctx context.Context, src ChunkSource, collectionID string) (*collection, error) {
	chunks, err := src.Chunks(ctx, collectionID)
	if err != nil {
		return nil, fmt.Errorf("knowledge: load chunks of collection %s: %w", collectionID, err)
	}
	c := newCollection()
	for i := range chunks {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := c.add(chunks[i]); err != nil {
			return nil, err
		}
	}
	c.trim()
	return c, nil
}

// ReplaceDocument makes the document's chunks exactly chunks (none removes
// it); their CollectionID and DocumentID are set from the arguments.
func (ix *Index) ReplaceDocument(collectionID, documentID string, chunks []store.Chunk) error {
	c := ix.collection(collectionID, len(chunks) > 0)
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeDocument(documentID)
	for _, ch := range chunks {
		ch.CollectionID, ch.DocumentID = collectionID, documentID
		if err := c.add(ch); err != nil {
			return err
		}
	}
	return nil
}

// RemoveDocument drops a document's chunks.
func (ix *Index) RemoveDocument(collectionID, documentID string) {
	_ = ix.ReplaceDocument(collectionID, documentID, nil)
}

// Stats returns how many chunks and distinct terms a collection has.
func (ix *Index) Stats(collectionID string) (chunks, terms int) {
	c := ix.collection(collectionID, false)
	if c == nil {
		return 0, 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.live, c.liveTerms
}

// collection returns the collection's part of the index, creating it when
// create is set, or nil.
func (ix *Index) collection(id string, create bool) *collection {
	ix.mu.RLock()
	c := ix.collections[id]
	ix.mu.RUnlock()
	if c != nil || !create {
		return c
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if c = ix.collections[id]; c == nil {
		c = newCollection()
		ix.collections[id] = c
	}
	return c
}
