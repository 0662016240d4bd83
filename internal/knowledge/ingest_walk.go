package knowledge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// errTooLarge marks a file over the size cap.
var errTooLarge = errors.New("file too large")

// IngestPaths ingests files and directories (walked recursively) into the
// named collection, creating it if needed. Each file's source is its path
// as given, cleaned (relative paths stay relative), and it has no URL.
// Directories are walked for .md, .markdown, .txt, .text, .html and .htm
// files; hidden files and directories and other types are skipped and
// reported. A file that cannot be read or is too large fails alone, in the
// report. A path that does not exist is an error before anything is written;
// so is a store error, which ends the run with the report so far.
func (in *Ingester) IngestPaths(ctx context.Context, collectionName string, paths []string) (Report, error) {
	if len(paths) == 0 {
		return Report{}, ErrNoPaths
	}
	infos := make([]fs.FileInfo, len(paths))
	for i, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return Report{}, fmt.Errorf("knowledge: ingest: %w", err)
		}
		infos[i] = info
	}
	r, err := in.begin(ctx, collectionName)
	if err != nil {
		return Report{}, err
	}
	for i, p := range paths {
		if infos[i].IsDir() {
			err = r.walkDir(ctx, p)
		} else {
			err = r.osFile(ctx, p, infos[i])
		}
		if err != nil {
			return r.report, err
		}
	}
	in.logSummary(ctx, collectionName, r.report)
	return r.report, nil
}

func (r *run) walkDir(ctx context.Context, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		source := filepath.ToSlash(filepath.Clean(p))
		switch {
		case err != nil:
			r.report.record(FileResult{Source: source, Status: FileFailed, Reason: err.Error()})
			return nil
		case d.IsDir():
			return r.enterDir(source, d.Name(), p == root)
		}
		if reason := skipReason(d.Name()); reason != "" {
			r.report.record(FileResult{Source: source, Status: FileSkipped, Reason: reason})
			return nil
		}
		info, err := os.Stat(p) // follows a symlink to a file
		if err != nil {
			r.report.record(FileResult{Source: source, Status: FileFailed, Reason: err.Error()})
			return nil
		}
		return r.osFile(ctx, p, info)
	})
}

// enterDir skips hidden directories (.git, .github…) below the root.
func (r *run) enterDir(source, name string, root bool) error {
	if !root && strings.HasPrefix(name, ".") && name != "." && name != ".." {
		r.report.record(FileResult{Source: source, Status: FileSkipped, Reason: "hidden directory"})
		return fs.SkipDir
	}
	return nil
}

func (r *run) osFile(ctx context.Context, p string, info fs.FileInfo) error {
	return r.file(ctx, filepath.ToSlash(filepath.Clean(p)), "", info, func() (io.ReadCloser, error) { return os.Open(p) })
}

// IngestFS ingests the documents of fsys (for example Docent's own docs
// embedded in the binary), walked from its root like a directory. Sources
// are paths within fsys; urlFor, when not nil, gives each document's public
// link for citations.
func (in *Ingester) IngestFS(ctx context.Context, collectionName string, fsys fs.FS, urlFor func(path string) string) (Report, error) {
	r, err := in.begin(ctx, collectionName)
	if err != nil {
		return Report{}, err
	}
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		switch {
		case err != nil:
			r.report.record(FileResult{Source: p, Status: FileFailed, Reason: err.Error()})
			return nil
		case d.IsDir():
			return r.enterDir(p, d.Name(), p == ".")
		}
		if reason := skipReason(d.Name()); reason != "" {
			r.report.record(FileResult{Source: p, Status: FileSkipped, Reason: reason})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			r.report.record(FileResult{Source: p, Status: FileFailed, Reason: err.Error()})
			return nil
		}
		url := ""
		if urlFor != nil {
			url = urlFor(p)
		}
		return r.file(ctx, p, url, info, func() (io.ReadCloser, error) { return fsys.Open(p) })
	})
	if err != nil {
		return r.report, err
	}
	in.logSummary(ctx, collectionName, r.report)
	return r.report, nil
}

// file reads one file within the size cap and ingests it.
func (r *run) file(ctx context.Context, source, url string, info fs.FileInfo, open func() (io.ReadCloser, error)) error {
	switch {
	case ContentType(source) == "":
		r.report.record(FileResult{Source: source, Status: FileSkipped, Reason: skipReason(source)})
		return nil
	case !info.Mode().IsRegular():
		r.report.record(FileResult{Source: source, Status: FileSkipped, Reason: "not a regular file"})
		return nil
	}
	data, err := readCapped(open, info.Size(), r.in.MaxFileBytes)
	if err != nil {
		r.report.record(FileResult{Source: source, Status: FileFailed, Reason: err.Error()})
		return nil
	}
	return r.ingest(ctx, source, url, data)
}

// readCapped reads at most limit bytes, failing with errTooLarge beyond (the
// size is checked before and while reading: a file may grow meanwhile).
func readCapped(open func() (io.ReadCloser, error), size, limit int64) ([]byte, error) {
	tooLarge := fmt.Errorf("%w: over the %d-byte limit", errTooLarge, limit)
	if size > limit {
		return nil, tooLarge
	}
	f, err := open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, tooLarge
	}
	return data, nil
}

func (in *Ingester) logSummary(ctx context.Context, collection string, rep Report) {
	in.log.InfoContext(ctx, "ingestion finished", "collection", collection,
		"added", rep.Added, "updated", rep.Updated, "unchanged", rep.Unchanged,
		"skipped", rep.Skipped, "failed", rep.Failed, "chunks", rep.Chunks)
}
