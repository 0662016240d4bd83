package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"testing"
)

func TestDistHoldsTheBundles(t *testing.T) {
	for _, name := range []string{"widget.js", "frame.js", "frame.css"} {
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
