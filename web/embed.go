// Package web owns the widget's built front-end assets: the loader
// (widget.js and its open half, loader-open.js), the chat frame (frame.js,
// frame.css) and anything else under
// dist/, embedded into the server binary. The bundles are built from
// web/widget by `go run ./cmd/webbuild` and committed, so `go install` works
// from a clean clone without Node; a test in web/webbuild fails when they are
// stale. This package has no dependencies beyond the standard library: the
// server must not link the bundler.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sync"
)

//go:embed dist
var dist embed.FS

// Dist returns the built assets with "dist/" stripped: names are "widget.js",
// "loader-open.js", "frame.js", "frame.css".
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // unreachable: "dist" is a valid path embedded above
	}
	return sub
}

// hashes maps each asset name to its content hash, computed once.
var hashes = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	fs.WalkDir(Dist(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Dist(), name)
		if err != nil {
			return err
		}
		m[name] = ContentHash(b)
		return nil
	})
	return m
})

// AssetHash returns a short hash of an asset's content (12 hex digits) for
// cache-busting URLs such as /widget/assets/frame.js?v=HASH, or "" if there
// is no such asset. Assets served with such a URL can be cached immutably.
func AssetHash(name string) string {
	return hashes()[name]
}

// ContentHash is the short content hash (12 hex digits) that versions a
// bundle's URL (?v=HASH). The build puts the loader's open half's hash into
// the loader, and the server decides by the same hash what browsers may
// cache forever, so both use this one function.
func ContentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// Gzip9 compresses b at gzip's best level (9): what the server sends to
// browsers that accept gzip, and the measure of the size budgets
// (PERFORMANCE.md G1, G2).
func Gzip9(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
	zw.Write(b)                                              // writes to a bytes.Buffer do not fail
	zw.Close()
	return buf.Bytes()
}
