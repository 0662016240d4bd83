package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/docentchat/docent/internal/store"
)

// memStore is the test seam for the two small interfaces this package
// declares (DocumentStore and ChunkSource), following the contract written
// on store.KnowledgeStore. The real stores are tested by storetest.
type memStore struct {
	mu          sync.Mutex
	collections []store.Collection
	docs        map[string]store.Document // by id
	chunks      map[string][]store.Chunk  // by document id
	nextID      int
	puts        int // PutDocument calls that wrote something
	failChunks  bool
	failPut     bool
}

// The real store must satisfy the interfaces this package declares.
var (
	_ DocumentStore = store.KnowledgeStore(nil)
	_ ChunkSource   = store.KnowledgeStore(nil)
	_ DocumentStore = (*memStore)(nil)
	_ ChunkSource   = (*memStore)(nil)
)

var errStoreDown = errors.New("store down")

func newMemStore() *memStore {
	return &memStore{docs: map[string]store.Document{}, chunks: map[string][]store.Chunk{}}
}

func (m *memStore) id(prefix string) string {
	m.nextID++
	return fmt.Sprintf("%s%04d", prefix, m.nextID)
}

func (m *memStore) EnsureCollection(_ context.Context, name string) (store.Collection, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.collections {
		if c.Name == name {
			return c, nil
		}
	}
	c := store.Collection{ID: m.id("col"), Name: name}
	m.collections = append(m.collections, c)
	return c, nil
}

func (m *memStore) ListCollections(context.Context) ([]store.Collection, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.collections), nil
}

func (m *memStore) ListDocuments(_ context.Context, collectionID string) ([]store.Document, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Document
	for _, d := range m.docs {
		if d.CollectionID == collectionID {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b store.Document) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (m *memStore) PutDocument(_ context.Context, doc store.Document, chunks []store.Chunk) (store.Document, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failPut {
		return store.Document{}, false, errStoreDown
	}
	for id, d := range m.docs {
		if d.CollectionID == doc.CollectionID && d.Source == doc.Source {
			if d.ContentHash == doc.ContentHash {
				return d, false, nil
			}
			doc.ID = id
			break
		}
	}
	if doc.ID == "" {
		doc.ID = m.id("doc")
	}
	m.docs[doc.ID] = doc
	stored := make([]store.Chunk, len(chunks))
	for i, ch := range chunks {
		ch.ID, ch.DocumentID, ch.Ordinal = m.id("chunk"), doc.ID, i
		stored[i] = ch
	}
	m.chunks[doc.ID] = stored
	m.puts++
	return doc, true, nil
}

func (m *memStore) DeleteDocument(_ context.Context, documentID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.docs[documentID]; !ok {
		return store.ErrNotFound
	}
	delete(m.docs, documentID)
	delete(m.chunks, documentID)
	return nil
}

func (m *memStore) Chunks(_ context.Context, collectionID string) ([]store.Chunk, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failChunks {
		return nil, errStoreDown
	}
	var ids []string
	for id, d := range m.docs {
		if d.CollectionID == collectionID {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []store.Chunk
	for _, id := range ids {
		out = append(out, m.chunks[id]...)
	}
	return out, nil
}

func (m *memStore) chunksOf(source string) []store.Chunk {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, d := range m.docs {
		if d.Source == source {
			return slices.Clone(m.chunks[id])
		}
	}
	return nil
}

// mustPut stores a one-chunk document directly.
func mustPut(t *testing.T, st *memStore, collectionID, source, text string) store.Document {
	t.Helper()
	sum := sha256.Sum256([]byte(text))
	doc := store.Document{CollectionID: collectionID, Source: source, ContentHash: hex.EncodeToString(sum[:])}
	stored, _, err := st.PutDocument(context.Background(), doc, []store.Chunk{{CollectionID: collectionID, Source: source, Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	return stored
}
