package widget

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/docentchat/docent/internal/errs"
)

var contentTypes = map[string]string{
	"widget.js":      "text/javascript; charset=utf-8",
	"loader-open.js": "text/javascript; charset=utf-8", // an ES module: the loader imports it
	"frame.js":       "text/javascript; charset=utf-8",
	"frame.css":      "text/css; charset=utf-8",
}

// Loader serves the loader script (GET /widget.js). It is cached briefly so a
// new release reaches host pages within minutes; the key in its query string
// is read by the script itself.
func (s *Server) Loader(w http.ResponseWriter, r *http.Request) error {
	return s.serveAsset(w, r, "widget.js", "public, max-age=300")
}

// Asset serves a bundle the widget loads when it opens (GET
// /static/widget/{name}): the loader's open half, the frame's script and
// stylesheet. A request carrying the current content hash may be cached
// forever.
func (s *Server) Asset(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if name == "widget.js" || contentTypes[name] == "" {
		return errs.New(errs.NotFound, "not_found", "no such asset")
	}
	cache := "public, max-age=300"
	if v := r.URL.Query().Get("v"); v != "" && v == s.hashes[name] {
		cache = "public, max-age=31536000, immutable"
	}
	return s.serveAsset(w, r, name, cache)
}

// serveAsset serves a bundle, gzip-compressed when the client accepts it.
// The two encodings are two representations: each has its own ETag, and
// caches keep them apart by Accept-Encoding.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, name, cache string) error {
	h := w.Header()
	h.Set("Content-Type", contentTypes[name])
	h.Set("Cache-Control", cache)
	h.Set("Vary", "Accept-Encoding")
	// Scripts are fetched cross-origin by host pages; allow CORS reads of the
	// public bundle (it holds no secret) so integrity checks and crossorigin
	// work, and let host pages' resource timing see its size (G1 is checked
	// in the browser that way).
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Timing-Allow-Origin", "*")
	body, etag := s.assets[name], `"`+s.hashes[name]+`"`
	if acceptsGzip(strings.Join(r.Header.Values("Accept-Encoding"), ",")) {
		body, etag = s.gzips[name], `"`+s.hashes[name]+`-gzip"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	return nil
}
