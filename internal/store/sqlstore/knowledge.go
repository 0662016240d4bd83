package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/docentchat/docent/internal/store"
)

// EnsureCollection returns the collection with this name, creating it if needed.
func (s *Store) EnsureCollection(ctx context.Context, name string) (store.Collection, error) {
	var c store.Collection
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.insertCollection, newID(), name, s.ts(s.now())); err != nil {
			return err
		}
		var err error
		c, err = scanCollection(tx.QueryRowContext(ctx, s.q.collectionByName, name))
		return err
	})
	return c, err
}

// Collection returns a collection by id.
func (s *Store) Collection(ctx context.Context, id string) (store.Collection, error) {
	c, err := scanCollection(s.read.QueryRowContext(ctx, s.q.collectionByID, id))
	return c, s.wrap(err)
}

// ListCollections returns every collection, ordered by name.
func (s *Store) ListCollections(ctx context.Context) ([]store.Collection, error) {
	return queryAll(ctx, s, s.q.listCollections, scanCollection)
}

// PutDocument stores a document and its chunks, or does nothing when the
// stored content hash is the same (see store.KnowledgeStore). A concurrent
// first insert of the same source makes one transaction fail with a unique
// violation; it is retried once, and then finds the row the other wrote.
func (s *Store) PutDocument(ctx context.Context, doc store.Document, chunks []store.Chunk) (store.Document, bool, error) {
	stored, changed, err := s.putDocument(ctx, doc, chunks)
	if errors.Is(err, store.ErrConflict) {
		stored, changed, err = s.putDocument(ctx, doc, chunks)
	}
	return stored, changed, err
}

func (s *Store) putDocument(ctx context.Context, doc store.Document, chunks []store.Chunk) (store.Document, bool, error) {
	var changed bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		existing, err := scanDocument(tx.QueryRowContext(ctx, s.q.documentBySource, doc.CollectionID, doc.Source))
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if found && existing.ContentHash == doc.ContentHash {
			doc = existing
			return nil
		}
		now := s.now()
		if found {
			doc.ID, doc.CreatedAt, doc.UpdatedAt = existing.ID, existing.CreatedAt, now
			if _, err := tx.ExecContext(ctx, s.q.updateDocument, doc.Title, doc.URL, doc.ContentType,
				doc.ContentHash, s.ts(now), doc.ID); err != nil {
				return fmt.Errorf("update document: %w", err)
			}
			if _, err := tx.ExecContext(ctx, s.q.deleteChunks, doc.ID); err != nil {
				return fmt.Errorf("delete chunks: %w", err)
			}
		} else {
			doc.ID, doc.CreatedAt, doc.UpdatedAt = newID(), now, now
			if _, err := tx.ExecContext(ctx, s.q.insertDocument, doc.ID, doc.CollectionID, doc.Source,
				doc.Title, doc.URL, doc.ContentType, doc.ContentHash, s.ts(now), s.ts(now)); err != nil {
				return err
			}
		}
		changed = true
		return s.insertChunks(ctx, tx, doc, chunks)
	})
	if err != nil {
		return store.Document{}, false, err
	}
	return doc, changed, nil
}

// insertChunks writes a document's chunks with store-assigned ids and
// ordinals. Source always comes from the document; title and URL too unless
// the chunk has its own (a section anchor, say).
func (s *Store) insertChunks(ctx context.Context, tx *sql.Tx, doc store.Document, chunks []store.Chunk) error {
	if len(chunks) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, s.q.insertChunk)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, ch := range chunks {
		headings, err := jsonList(ch.HeadingPath)
		if err != nil {
			return err
		}
		title, url := ch.Title, ch.URL
		if title == "" {
			title = doc.Title
		}
		if url == "" {
			url = doc.URL
		}
		if _, err := stmt.ExecContext(ctx, newID(), doc.ID, doc.CollectionID, i, headings, ch.Text,
			title, url, doc.Source); err != nil {
			return fmt.Errorf("insert chunk %d: %w", i, err)
		}
	}
	return nil
}

// ListDocuments returns a collection's documents, ordered by source.
func (s *Store) ListDocuments(ctx context.Context, collectionID string) ([]store.Document, error) {
	return queryAll(ctx, s, s.q.listDocuments, scanDocument, collectionID)
}

// DeleteDocument removes a document; its chunks go with it (cascade).
func (s *Store) DeleteDocument(ctx context.Context, documentID string) error {
	res, err := s.write.ExecContext(ctx, s.q.deleteDocument, documentID)
	return s.wrap(expectOne(res, err, "document "+documentID))
}

// Chunks returns every chunk of a collection, ordered by document then ordinal.
func (s *Store) Chunks(ctx context.Context, collectionID string) ([]store.Chunk, error) {
	return queryAll(ctx, s, s.q.chunksByCollection, scanChunk, collectionID)
}

func scanCollection(r rowScanner) (store.Collection, error) {
	var c store.Collection
	err := r.Scan(&c.ID, &c.Name, timeCol{&c.CreatedAt})
	return c, err
}

func scanDocument(r rowScanner) (store.Document, error) {
	var d store.Document
	err := r.Scan(&d.ID, &d.CollectionID, &d.Source, &d.Title, &d.URL, &d.ContentType, &d.ContentHash,
		timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt})
	return d, err
}

func scanChunk(r rowScanner) (store.Chunk, error) {
	var c store.Chunk
	err := r.Scan(&c.ID, &c.DocumentID, &c.CollectionID, &c.Ordinal, jsonCol{&c.HeadingPath}, &c.Text,
		&c.Title, &c.URL, &c.Source)
	c.HeadingPath = nilIfEmpty(c.HeadingPath)
	return c, err
}

// queryAll runs a read query and scans every row with scan.
func queryAll[T any](ctx context.Context, s *Store, query string, scan func(rowScanner) (T, error), args ...any) ([]T, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, v)
	}
	return out, s.wrap(rows.Err())
}
