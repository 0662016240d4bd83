package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path"

	"github.com/docentchat/docent/internal/store"
)

// DefaultMaxFileBytes is the largest file ingested unless configured.
const DefaultMaxFileBytes = 10 << 20

// ErrNoPaths is returned by IngestPaths when it is given nothing to ingest.
var ErrNoPaths = errors.New("knowledge: no paths to ingest")

// DocumentStore is what ingestion needs from the store.
type DocumentStore interface {
	EnsureCollection(ctx context.Context, name string) (store.Collection, error)
	ListDocuments(ctx context.Context, collectionID string) ([]store.Document, error)
	PutDocument(ctx context.Context, doc store.Document, chunks []store.Chunk) (stored store.Document, changed bool, err error)
	DeleteDocument(ctx context.Context, documentID string) error
}

// FileStatus is what ingestion did with one file.
type FileStatus string

const (
	FileAdded     FileStatus = "added"
	FileUpdated   FileStatus = "updated"
	FileUnchanged FileStatus = "unchanged"
	FileSkipped   FileStatus = "skipped" // not a document type Docent reads, or hidden
	FileFailed    FileStatus = "failed"  // unreadable or over the size cap
)

// FileResult reports one file.
type FileResult struct {
	Source string     `json:"source"`
	Status FileStatus `json:"status"`
	Chunks int        `json:"chunks,omitempty"`
	// Reason says why a file was skipped or failed.
	Reason string `json:"reason,omitempty"`
}

// Report sums up an ingestion run.
type Report struct {
	Added     int          `json:"added"`
	Updated   int          `json:"updated"`
	Unchanged int          `json:"unchanged"`
	Skipped   int          `json:"skipped"`
	Failed    int          `json:"failed"`
	Chunks    int          `json:"chunks"` // chunks written (added and updated documents)
	Files     []FileResult `json:"files"`
}

func (r *Report) record(f FileResult) {
	switch f.Status {
	case FileAdded:
		r.Added++
	case FileUpdated:
		r.Updated++
	case FileUnchanged:
		r.Unchanged++
	case FileSkipped:
		r.Skipped++
	case FileFailed:
		r.Failed++
	}
	r.Chunks += f.Chunks
	r.Files = append(r.Files, f)
}

// Ingester reads documents, chunks them, stores them and keeps the index in
// step with the store.
type Ingester struct {
	st  DocumentStore
	ix  *Index
	log *slog.Logger
	// MaxFileBytes caps the size of one file; larger files fail individually.
	MaxFileBytes int64
}

// NewIngester returns an Ingester writing to st and ix.
func NewIngester(st DocumentStore, ix *Index, logger *slog.Logger) *Ingester {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Ingester{st: st, ix: ix, log: logger, MaxFileBytes: DefaultMaxFileBytes}
}

// run is one ingestion into one collection.
type run struct {
	in         *Ingester
	collection store.Collection
	known      map[string]string // source → content hash already stored
	report     Report
}

func (in *Ingester) begin(ctx context.Context, collectionName string) (*run, error) {
	col, err := in.st.EnsureCollection(ctx, collectionName)
	if err != nil {
		return nil, fmt.Errorf("knowledge: collection %q: %w", collectionName, err)
	}
	docs, err := in.st.ListDocuments(ctx, col.ID)
	if err != nil {
		return nil, fmt.Errorf("knowledge: list documents of %q: %w", collectionName, err)
	}
	known := make(map[string]string, len(docs))
	for _, d := range docs {
		known[d.Source] = d.ContentHash
	}
	return &run{in: in, collection: col, known: known}, nil
}

// ingest stores one document read from source. A store error ends the run;
// everything about the file itself is reported in its FileResult.
func (r *run) ingest(ctx context.Context, source, url string, data []byte) error {
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if prev, ok := r.known[source]; ok && prev == hash {
		r.report.record(FileResult{Source: source, Status: FileUnchanged})
		return nil
	}
	parsed, ctype, err := Read(source, data)
	if err != nil {
		r.report.record(FileResult{Source: source, Status: FileSkipped, Reason: err.Error()})
		return nil
	}
	doc := store.Document{
		CollectionID: r.collection.ID, Source: source, Title: parsed.Title,
		URL: url, ContentType: ctype, ContentHash: hash,
	}
	pieces := SplitChunks(parsed)
	chunks := make([]store.Chunk, len(pieces))
	for i, p := range pieces {
		chunks[i] = store.Chunk{
			CollectionID: r.collection.ID, Ordinal: i, HeadingPath: p.HeadingPath, Text: p.Text,
			Title: parsed.Title, URL: url, Source: source,
		}
	}
	stored, changed, err := r.in.st.PutDocument(ctx, doc, chunks)
	if err != nil {
		return fmt.Errorf("knowledge: store %s: %w", source, err)
	}
	if !changed {
		r.report.record(FileResult{Source: source, Status: FileUnchanged})
		return nil
	}
	for i := range chunks {
		chunks[i].DocumentID = stored.ID
	}
	if err := r.in.ix.ReplaceDocument(r.collection.ID, stored.ID, chunks); err != nil {
		return fmt.Errorf("knowledge: index %s: %w", source, err)
	}
	status := FileAdded
	if _, ok := r.known[source]; ok {
		status = FileUpdated
	}
	r.known[source] = hash
	r.in.log.DebugContext(ctx, "document ingested", "collection", r.collection.Name,
		"source", source, "status", string(status), "chunks", len(chunks))
	r.report.record(FileResult{Source: source, Status: status, Chunks: len(chunks)})
	return nil
}

// DeleteDocument removes a document from the store and the index.
func (in *Ingester) DeleteDocument(ctx context.Context, collectionID, documentID string) error {
	if err := in.st.DeleteDocument(ctx, documentID); err != nil {
		return fmt.Errorf("knowledge: delete document %s: %w", documentID, err)
	}
	in.ix.RemoveDocument(collectionID, documentID)
	return nil
}

// skipReason says why a walked file is not ingested, or "" when it is.
func skipReason(name string) string {
	switch {
	case len(name) > 1 && name[0] == '.':
		return "hidden file"
	case ContentType(name) == "":
		return fmt.Sprintf("unsupported file type %q", path.Ext(name))
	}
	return ""
}
