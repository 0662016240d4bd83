package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

// TestAssetsServedCompressed: the loader and the frame bundles reach every
// client that accepts gzip compressed (G1 and G2 are budgets in gzip bytes),
// as a separate representation with its own ETag, and unchanged to clients
// that do not.
func TestAssetsServedCompressed(t *testing.T) {
	s := newServer(t)
	for _, path := range []string{"/widget.js", "/static/widget/frame.js", "/static/widget/frame.css"} {
		plain := s.do("GET", path, nil, "Accept-Encoding", "identity")
		if plain.Status != 200 || plain.Header.Get("Content-Encoding") != "" || len(plain.Body) == 0 {
			t.Fatalf("%s without gzip: %d, Content-Encoding %q, %d bytes", path, plain.Status, plain.Header.Get("Content-Encoding"), len(plain.Body))
		}
		for _, accept := range []string{"gzip, deflate, br, zstd", "x-gzip", "*"} {
			zipped := s.do("GET", path, nil, "Accept-Encoding", accept)
			if zipped.Status != 200 || zipped.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("%s with Accept-Encoding %q: %d, Content-Encoding %q", path, accept, zipped.Status, zipped.Header.Get("Content-Encoding"))
			}
			if got := gunzip(t, zipped.Body); !bytes.Equal(got, plain.Body) {
				t.Fatalf("%s: the gzip body does not decompress to the plain one (%d vs %d bytes)", path, len(got), len(plain.Body))
			}
			if len(zipped.Body) >= len(plain.Body)/2 {
				t.Errorf("%s: gzip %d bytes for %d plain: not compressed at level 9?", path, len(zipped.Body), len(plain.Body))
			}
			for _, r := range []response{plain, zipped} {
				if !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
					t.Errorf("%s: Vary %q lacks Accept-Encoding: a shared cache could hand gzip to a client that cannot read it", path, r.Header.Get("Vary"))
				}
			}
			if plain.Header.Get("ETag") == zipped.Header.Get("ETag") {
				t.Errorf("%s: both encodings carry ETag %s", path, plain.Header.Get("ETag"))
			}
			if r := s.do("GET", path, nil, "Accept-Encoding", accept, "If-None-Match", zipped.Header.Get("ETag")); r.Status != 304 {
				t.Errorf("%s: revalidating the gzip representation: %d, want 304", path, r.Status)
			}
			if r := s.do("GET", path, nil, "Accept-Encoding", accept, "If-None-Match", plain.Header.Get("ETag")); r.Status != 200 {
				t.Errorf("%s: the plain ETag validated a gzip request: %d, want 200", path, r.Status)
			}
		}
		for _, refused := range []string{"gzip;q=0", "br", "gzip;q=0, *", "*;q=0"} {
			if r := s.do("GET", path, nil, "Accept-Encoding", refused); r.Header.Get("Content-Encoding") != "" || !bytes.Equal(r.Body, plain.Body) {
				t.Errorf("%s with Accept-Encoding %q: Content-Encoding %q, want the plain body", path, refused, r.Header.Get("Content-Encoding"))
			}
		}
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
