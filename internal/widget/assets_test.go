package widget

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/docentchat/docent/web"
)

// TestAssetCaching: the bundles the widget loads when it opens (the loader's
// open half, the frame's script and stylesheet) may be cached forever when
// asked for by their current content hash, and only briefly otherwise (a
// loader cached from another release); any page may read them (the open
// half is imported as a module, which needs CORS); the loader itself is
// served only at /widget.js, and briefly cached.
func TestAssetCaching(t *testing.T) {
	s, err := New(Options{Assets: web.Dist()})
	if err != nil {
		t.Fatal(err)
	}
	forever, briefly := "public, max-age=31536000, immutable", "public, max-age=300"
	for _, tc := range []struct {
		name, version, wantCache, wantType string
	}{
		{"loader-open.js", web.AssetHash("loader-open.js"), forever, "text/javascript; charset=utf-8"},
		{"loader-open.js", "000000000000", briefly, "text/javascript; charset=utf-8"},
		{"loader-open.js", "", briefly, "text/javascript; charset=utf-8"},
		{"frame.js", web.AssetHash("frame.js"), forever, "text/javascript; charset=utf-8"},
		{"frame.css", web.AssetHash("frame.css"), forever, "text/css; charset=utf-8"},
		{"frame.css", web.AssetHash("frame.js"), briefly, "text/css; charset=utf-8"}, // another bundle's hash
	} {
		r := httptest.NewRequest(http.MethodGet, "/static/widget/"+tc.name+"?v="+tc.version, nil)
		r.SetPathValue("name", tc.name)
		w := httptest.NewRecorder()
		if err := s.Asset(w, r); err != nil {
			t.Fatalf("%s?v=%s: %v", tc.name, tc.version, err)
		}
		h := w.Result().Header
		if w.Code != http.StatusOK || h.Get("Cache-Control") != tc.wantCache || h.Get("Content-Type") != tc.wantType ||
			h.Get("Access-Control-Allow-Origin") != "*" || w.Body.Len() == 0 {
			t.Errorf("%s?v=%s: %d, Cache-Control %q, Content-Type %q, ACAO %q, %d bytes; want 200, %q, %q, *",
				tc.name, tc.version, w.Code, h.Get("Cache-Control"), h.Get("Content-Type"), h.Get("Access-Control-Allow-Origin"),
				w.Body.Len(), tc.wantCache, tc.wantType)
		}
	}
	for _, name := range []string{"widget.js", "nope.js", "../widget.js"} {
		r := httptest.NewRequest(http.MethodGet, "/static/widget/x", nil)
		r.SetPathValue("name", name)
		if err := s.Asset(httptest.NewRecorder(), r); err == nil {
			t.Errorf("/static/widget/%s was served", name)
		}
	}
}
