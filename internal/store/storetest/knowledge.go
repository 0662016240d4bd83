package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/docentchat/docent/internal/store"
)

func sampleDocument(collectionID, source, hash string) store.Document {
	return store.Document{
		CollectionID: collectionID, Source: source, Title: "Title of " + source,
		URL: "https://docs.example/" + source, ContentType: "text/markdown", ContentHash: hash,
	}
}

func sampleChunks(prefix string, n int) []store.Chunk {
	var out []store.Chunk
	for i := range n {
		out = append(out, store.Chunk{
			HeadingPath: []string{"Guide", fmt.Sprintf("Part %d", i)},
			Text:        fmt.Sprintf("%s passage %d", prefix, i),
		})
	}
	return out
}

func chunkIDs(chunks []store.Chunk) []string {
	var ids []string
	for _, c := range chunks {
		ids = append(ids, c.ID)
	}
	return ids
}

var knowledgeBehaviours = []behaviour{
	{"EnsureCollection/creates once and lists by name", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		first := must[store.Collection](t)(s.EnsureCollection(ctx, "manual"))
		checkID(t, "collection", first.ID)
		diff(t, "second ensure", first, must[store.Collection](t)(s.EnsureCollection(ctx, "manual")))
		diff(t, "by id", first, must[store.Collection](t)(s.Collection(ctx, first.ID)))
		faq := must[store.Collection](t)(s.EnsureCollection(ctx, "faq"))
		diff(t, "list", []store.Collection{faq, first}, must[[]store.Collection](t)(s.ListCollections(ctx)))
		_, err := s.Collection(ctx, "no-such-collection")
		wantErr(t, err, store.ErrNotFound)
	}},
	{"PutDocument/new document stores chunks with assigned ids and ordinals", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		coll := must[store.Collection](t)(s.EnsureCollection(ctx, "manual"))
		chunks := sampleChunks("v1", 3)
		chunks[1].Title, chunks[1].URL = "Own title", "https://docs.example/start#part-1"
		doc, changed, err := s.PutDocument(ctx, sampleDocument(coll.ID, "start.md", "h1"), chunks)
		mustOK(t, err)
		if !changed {
			t.Fatal("new document: changed = false")
		}
		checkID(t, "document", doc.ID)
		diff(t, "listed", []store.Document{doc}, must[[]store.Document](t)(s.ListDocuments(ctx, coll.ID)))
		got := must[[]store.Chunk](t)(s.Chunks(ctx, coll.ID))
		if len(got) != 3 {
			t.Fatalf("got %d chunks, want 3", len(got))
		}
		for i, c := range got {
			checkID(t, "chunk", c.ID)
			want := store.Chunk{
				ID: c.ID, DocumentID: doc.ID, CollectionID: coll.ID, Ordinal: i,
				HeadingPath: chunks[i].HeadingPath, Text: chunks[i].Text,
				Title: doc.Title, URL: doc.URL, Source: "start.md",
			}
			if i == 1 {
				want.Title, want.URL = chunks[1].Title, chunks[1].URL
			}
			diff(t, fmt.Sprintf("chunk %d", i), want, c)
		}
	}},
	{"PutDocument/unchanged hash writes nothing", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		coll := must[store.Collection](t)(s.EnsureCollection(ctx, "manual"))
		first, _, err := s.PutDocument(ctx, sampleDocument(coll.ID, "a.md", "same"), sampleChunks("v1", 2))
		mustOK(t, err)
		before := must[[]store.Chunk](t)(s.Chunks(ctx, coll.ID))
		retitled := sampleDocument(coll.ID, "a.md", "same")
		retitled.Title = "ignored"
		again, changed, err := s.PutDocument(ctx, retitled, sampleChunks("v2", 5))
		mustOK(t, err)
		if changed {
			t.Fatal("unchanged hash: changed = true")
		}
		diff(t, "document", first, again)
		diff(t, "chunks", before, must[[]store.Chunk](t)(s.Chunks(ctx, coll.ID)))
	}},
	{"PutDocument/changed hash replaces the chunks", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		coll := must[store.Collection](t)(s.EnsureCollection(ctx, "manual"))
		first, _, err := s.PutDocument(ctx, sampleDocument(coll.ID, "a.md", "h1"), sampleChunks("v1", 3))
		mustOK(t, err)
		old := chunkIDs(must[[]store.Chunk](t)(s.Chunks(ctx, coll.ID)))
		next := sampleDocument(coll.ID, "a.md", "h2")
		next.Title = "New title"
		second, changed, err := s.PutDocument(ctx, next, sampleChunks("v2", 2))
		mustOK(t, err)
		if !changed || second.ID != first.ID || !second.CreatedAt.Equal(first.CreatedAt) || second.Title != "New title" {
			t.Fatalf("changed=%v first=%+v second=%+v", changed, first, second)
		}
		diff(t, "listed", []store.Document{second}, must[[]store.Document](t)(s.ListDocuments(ctx, coll.ID)))
		got := must[[]store.Chunk](t)(s.Chunks(ctx, coll.ID))
		if len(got) != 2 || got[0].Text != "v2 passage 0" || got[1].Ordinal != 1 || got[0].Title != "New title" {
			t.Fatalf("chunks after change = %+v", got)
		}
		for _, id := range chunkIDs(got) {
			if slices.Contains(old, id) {
				t.Fatalf("old chunk %s survived the change", id)
			}
		}
	}},
	{"PutDocument/unknown collection is ErrNotFound", func(t *testing.T, s store.Store) {
		_, _, err := s.PutDocument(t.Context(), sampleDocument("no-such-collection", "a.md", "h"), sampleChunks("x", 1))
		wantErr(t, err, store.ErrNotFound)
	}},
	{"PutDocument/concurrent first puts of one source store it once", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		coll := must[store.Collection](t)(s.EnsureCollection(ctx, "manual"))
		type put struct {
			doc     store.Document
			changed bool
		}
		results, errs := parallel(6, func(int) (put, error) {
			d, changed, err := s.PutDocument(ctx, sampleDocument(coll.ID, "a.md", "h"), sampleChunks("v", 2))
			return put{d, changed}, err
		})
		changedCount := 0
		for i, err := range errs {
			mustOK(t, err)
			if results[i].doc.ID != results[0].doc.ID {
				t.Fatalf("documents %s and %s for one source", results[i].doc.ID, results[0].doc.ID)
			}
			if results[i].changed {
				changedCount++
			}
		}
		if changedCount != 1 {
			t.Fatalf("%d puts reported a change, want 1", changedCount)
		}
		if got := must[[]store.Chunk](t)(s.Chunks(ctx, coll.ID)); len(got) != 2 {
			t.Fatalf("%d chunks stored, want 2", len(got))
		}
	}},
	{"Chunks/ordered by document then ordinal, per collection", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		coll := must[store.Collection](t)(s.EnsureCollection(ctx, "manual"))
		other := must[store.Collection](t)(s.EnsureCollection(ctx, "other"))
		a, _, err := s.PutDocument(ctx, sampleDocument(coll.ID, "z.md", "h"), sampleChunks("z", 2))
		mustOK(t, err)
		b, _, err := s.PutDocument(ctx, sampleDocument(coll.ID, "a.md", "h"), sampleChunks("a", 3))
		mustOK(t, err)
		_, _, err = s.PutDocument(ctx, sampleDocument(other.ID, "a.md", "h"), sampleChunks("other", 4))
		mustOK(t, err)
		got := must[[]store.Chunk](t)(s.Chunks(ctx, coll.ID))
		var order []string
		for _, c := range got {
			order = append(order, fmt.Sprintf("%s/%d", c.Source, c.Ordinal))
		}
		want := []string{"z.md/0", "z.md/1", "a.md/0", "a.md/1", "a.md/2"}
		if b.ID < a.ID { // ordered by document id, not by source
			want = append(want[2:], want[:2]...)
		}
		diff(t, "chunk order", want, order)
		diff(t, "documents by source", []store.Document{b, a}, must[[]store.Document](t)(s.ListDocuments(ctx, coll.ID)))
		if got := must[[]store.Chunk](t)(s.Chunks(ctx, other.ID)); len(got) != 4 {
			t.Fatalf("other collection has %d chunks, want 4", len(got))
		}
	}},
	{"DeleteDocument/removes its chunks", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		coll := must[store.Collection](t)(s.EnsureCollection(ctx, "manual"))
		gone, _, err := s.PutDocument(ctx, sampleDocument(coll.ID, "gone.md", "h"), sampleChunks("gone", 2))
		mustOK(t, err)
		kept, _, err := s.PutDocument(ctx, sampleDocument(coll.ID, "kept.md", "h"), sampleChunks("kept", 1))
		mustOK(t, err)
		mustOK(t, s.DeleteDocument(ctx, gone.ID))
		diff(t, "documents", []store.Document{kept}, must[[]store.Document](t)(s.ListDocuments(ctx, coll.ID)))
		got := must[[]store.Chunk](t)(s.Chunks(ctx, coll.ID))
		if len(got) != 1 || got[0].DocumentID != kept.ID {
			t.Fatalf("chunks after delete = %+v", got)
		}
		wantErr(t, s.DeleteDocument(ctx, gone.ID), store.ErrNotFound)
	}},
}
