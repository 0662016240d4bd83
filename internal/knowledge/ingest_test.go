package knowledge

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/docentchat/docent/internal/store"
	"github.com/google/go-cmp/cmp"
)

// writeTree creates files (path → content) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func statuses(r Report) map[string]FileStatus {
	out := map[string]FileStatus{}
	for _, f := range r.Files {
		out[f.Source] = f.Status
	}
	return out
}

func newTestIngester() (*memStore, *Index, *Ingester) {
	st, ix := newMemStore(), NewIndex()
	return st, ix, NewIngester(st, ix, nil)
}

func TestIngestPathsWalksDirectories(t *testing.T) {
	t.Chdir(writeTree(t, map[string]string{
		"docs/guide.md":          "# Guide\n\nWebhooks retry five times.",
		"docs/sub/page.html":     "<title>Page</title><p>Refunds take ten days.</p>",
		"docs/sub/notes.txt":     "Notes\n\nSupport answers within a day.",
		"docs/sub/old.markdown":  "Legacy markdown file.",
		"docs/sub/legacy.htm":    "<p>Legacy html file.</p>",
		"docs/sub/plain.text":    "Plain text file.",
		"docs/image.png":         "\x89PNG",
		"docs/.hidden.md":        "hidden file",
		"docs/.git/config.md":    "git internals",
		"docs/.github/README.md": "not docs",
		"single.md":              "A file given directly.",
	}))
	st, ix, in := newTestIngester()
	rep, err := in.IngestPaths(context.Background(), "main", []string{"./docs/", "single.md"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]FileStatus{
		"docs/guide.md": FileAdded, "docs/sub/page.html": FileAdded, "docs/sub/notes.txt": FileAdded,
		"docs/sub/old.markdown": FileAdded, "docs/sub/legacy.htm": FileAdded, "docs/sub/plain.text": FileAdded,
		"single.md":      FileAdded,
		"docs/image.png": FileSkipped, "docs/.hidden.md": FileSkipped, "docs/.git": FileSkipped, "docs/.github": FileSkipped,
	}
	if diff := cmp.Diff(want, statuses(rep)); diff != "" {
		t.Errorf("file statuses (-want +got):\n%s", diff)
	}
	if rep.Added != 7 || rep.Skipped != 4 || rep.Updated != 0 || rep.Unchanged != 0 || rep.Failed != 0 || rep.Chunks != 7 {
		t.Errorf("report counts %+v", rep)
	}
	col, _ := st.EnsureCollection(context.Background(), "main")
	hits := ix.Search(col.ID, "refunds", 5)
	if len(hits) != 1 {
		t.Fatalf("search after ingest: %v", describe(hits))
	}
	got := hits[0].Chunk
	if got.Source != "docs/sub/page.html" || got.Title != "Page" || got.URL != "" || got.DocumentID == "" || got.CollectionID != col.ID {
		t.Errorf("indexed chunk %+v: want relative source, title, no URL, ids", got)
	}
	stored := st.chunksOf("docs/sub/page.html")
	if len(stored) != 1 || stored[0].Text != got.Text || stored[0].Source != got.Source {
		t.Errorf("stored chunks %+v do not match the indexed one", stored)
	}
}

func TestIngestReingestIsNoOpAndChangesReplace(t *testing.T) {
	root := writeTree(t, map[string]string{"a.md": "# A\n\nThe old text about invoices.", "b.md": "Other document."})
	t.Chdir(root)
	st, ix, in := newTestIngester()
	ctx := context.Background()
	if _, err := in.IngestPaths(ctx, "c", []string{"."}); err != nil {
		t.Fatal(err)
	}
	col, _ := st.EnsureCollection(ctx, "c")
	putsBefore := st.puts
	chunksBefore, termsBefore := ix.Stats(col.ID)

	rep, err := in.IngestPaths(ctx, "c", []string{"."})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unchanged != 2 || rep.Added+rep.Updated != 0 || st.puts != putsBefore {
		t.Errorf("re-ingest of unchanged files: report %+v, store writes %d → %d", rep, putsBefore, st.puts)
	}
	if chunks, terms := ix.Stats(col.ID); chunks != chunksBefore || terms != termsBefore {
		t.Errorf("index changed by a no-op: %d,%d → %d,%d", chunksBefore, termsBefore, chunks, terms)
	}

	if err := os.WriteFile(filepath.Join(root, "a.md"), []byte("# A\n\nThe new text about refunds."), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = in.IngestPaths(ctx, "c", []string{"a.md", "b.md"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]FileStatus{"a.md": FileUpdated, "b.md": FileUnchanged}, statuses(rep)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if hits := ix.Search(col.ID, "invoices", 5); len(hits) != 0 {
		t.Errorf("old chunk still indexed: %v", describe(hits))
	}
	if hits := ix.Search(col.ID, "refunds", 5); len(hits) != 1 || hits[0].Chunk.Source != "a.md" {
		t.Errorf("new chunk not indexed: %v", describe(hits))
	}
	if got := st.chunksOf("a.md"); len(got) != 1 || !strings.Contains(got[0].Text, "refunds") {
		t.Errorf("store chunks of a.md: %+v", got)
	}
}

func TestIngestFailuresAreReportedPerFile(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ok.md":    "Fine document.",
		"big.md":   strings.Repeat("word ", 300),
		"other.md": "Another fine document.",
	})
	if err := os.Symlink(filepath.Join(root, "missing-target.md"), filepath.Join(root, "broken.md")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	_, _, in := newTestIngester()
	in.MaxFileBytes = 1000
	rep, err := in.IngestPaths(context.Background(), "c", []string{"."})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]FileStatus{"ok.md": FileAdded, "other.md": FileAdded, "big.md": FileFailed, "broken.md": FileFailed}
	if diff := cmp.Diff(want, statuses(rep)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	for _, f := range rep.Files {
		if f.Status == FileFailed && f.Reason == "" {
			t.Errorf("%s failed without a reason", f.Source)
		}
	}
	if rep.Failed != 2 || rep.Added != 2 {
		t.Errorf("counts %+v", rep)
	}
}

func TestIngestPathsErrors(t *testing.T) {
	t.Chdir(writeTree(t, map[string]string{"ok.md": "Fine."}))
	ctx := context.Background()

	st, _, in := newTestIngester()
	if _, err := in.IngestPaths(ctx, "c", nil); !errors.Is(err, ErrNoPaths) {
		t.Errorf("no paths: err %v, want ErrNoPaths", err)
	}
	if _, err := in.IngestPaths(ctx, "c", []string{"ok.md", "missing.md"}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing path: err %v, want fs.ErrNotExist", err)
	}
	if st.puts != 0 {
		t.Errorf("%d documents written although a path was missing", st.puts)
	}

	st.failPut = true
	rep, err := in.IngestPaths(ctx, "c", []string{"ok.md"})
	if !errors.Is(err, errStoreDown) {
		t.Errorf("store failure: err %v, want it passed on", err)
	}
	if rep.Added != 0 {
		t.Errorf("report counts a document the store refused: %+v", rep)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	st.failPut = false
	if _, err := in.IngestPaths(cancelled, "c", []string{"."}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err %v", err)
	}
}

func TestIngestFS(t *testing.T) {
	fsys := fstest.MapFS{
		"README.md":             {Data: []byte("# Docent\n\nDocent answers visitors from your docs.")},
		"docs/embedding.md":     {Data: []byte("---\ntitle: Embedding\n---\nAdd the script tag to your page.")},
		"docs/logo.svg":         {Data: []byte("<svg/>")},
		"docs/.drafts/draft.md": {Data: []byte("unpublished")},
	}
	st, ix, in := newTestIngester()
	urlFor := func(p string) string { return "/docs/" + strings.TrimSuffix(p, ".md") }
	rep, err := in.IngestFS(context.Background(), "docent", fsys, urlFor)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]FileStatus{
		"README.md": FileAdded, "docs/embedding.md": FileAdded, "docs/logo.svg": FileSkipped, "docs/.drafts": FileSkipped,
	}
	if diff := cmp.Diff(want, statuses(rep)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	col, _ := st.EnsureCollection(context.Background(), "docent")
	hits := ix.Search(col.ID, "script tag", 5)
	if len(hits) != 1 || hits[0].Chunk.URL != "/docs/docs/embedding" || hits[0].Chunk.Title != "Embedding" || hits[0].Chunk.Source != "docs/embedding.md" {
		t.Errorf("hits %+v", hits)
	}
	rep, err = in.IngestFS(context.Background(), "docent", fsys, urlFor)
	if err != nil || rep.Unchanged != 2 {
		t.Errorf("second IngestFS: %+v, %v; want 2 unchanged", rep, err)
	}
}

func TestIngesterDeleteDocument(t *testing.T) {
	t.Chdir(writeTree(t, map[string]string{"a.md": "Webhooks retry five times.", "b.md": "Webhooks are signed."}))
	st, ix, in := newTestIngester()
	ctx := context.Background()
	if _, err := in.IngestPaths(ctx, "c", []string{"."}); err != nil {
		t.Fatal(err)
	}
	col, _ := st.EnsureCollection(ctx, "c")
	docs, _ := st.ListDocuments(ctx, col.ID)
	idx := slices.IndexFunc(docs, func(d store.Document) bool { return d.Source == "a.md" })
	if err := in.DeleteDocument(ctx, col.ID, docs[idx].ID); err != nil {
		t.Fatal(err)
	}
	hits := ix.Search(col.ID, "webhooks", 5)
	if len(hits) != 1 || hits[0].Chunk.Source != "b.md" {
		t.Errorf("after delete: %v", describe(hits))
	}
	if err := in.DeleteDocument(ctx, col.ID, "no-such-doc"); err == nil {
		t.Error("deleting an unknown document succeeded")
	}
}
