package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"strings"
	"testing"
)

func TestDistHoldsTheBundles(t *testing.T) {
	for _, name := range []string{"widget.js", "loader-open.js", "frame.js", "frame.css"} {
		b, err := fs.ReadFile(Dist(), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(b) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
}

func TestAssetHash(t *testing.T) {
	b, err := fs.ReadFile(Dist(), "frame.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	tests := []struct {
		name, want string
	}{
		{"frame.js", hex.EncodeToString(sum[:6])},
		{"missing.js", ""},
		{"dist/frame.js", ""},
	}
	for _, tc := range tests {
		if got := AssetHash(tc.name); got != tc.want {
			t.Errorf("AssetHash(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if AssetHash("widget.js") == AssetHash("frame.js") {
		t.Error("different assets share a hash")
	}
}

// TestLoaderImportsTheCurrentOpenHalf: the loader names its open half by the
// content hash the server computes, so the import is the one URL browsers
// may cache forever, and a loader never pairs with an open half from
// another build while both come from this binary.
func TestLoaderImportsTheCurrentOpenHalf(t *testing.T) {
	loader, err := fs.ReadFile(Dist(), "widget.js")
	if err != nil {
		t.Fatal(err)
	}
	want := "/static/widget/loader-open.js?v=" + AssetHash("loader-open.js")
	if AssetHash("loader-open.js") == "" || !strings.Contains(string(loader), want) {
		t.Errorf("widget.js does not import %s", want)
	}
}

func TestGzip9RoundTrips(t *testing.T) {
	in := bytes.Repeat([]byte("docent frame bundle "), 500)
	zr, err := gzip.NewReader(bytes.NewReader(Gzip9(in)))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("round trip: err %v, equal %v", err, bytes.Equal(out, in))
	}
}
