package widget

import (
	"strings"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br, zstd", true}, // Chromium's
		{"GZip", true},
		{"x-gzip", true},
		{"br", false},
		{"identity", false},
		{"*", true},
		{"*;q=0", false},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"gzip;q=0.001", true},
		{"gzip;q=1.000", true},
		{"gzip;q=1.", true},
		{"gzip;q=0, *", false}, // refused explicitly, whatever * says
		{"*, gzip;q=0", false},
		{"br, *;q=0.5", true},
		{"gzip;q=0, x-gzip;q=0.5", true}, // the two names are one coding: the best weight counts
		{"gzip;q=2", false},              // malformed weights are ignored
		{"gzip;q=1.5", false},
		{"gzip;q=NaN", false},
		{"gzip;q=1e0", false},
		{"gzip;q=-1", false},
		{"gzip;q=0.0001", false},
		{"gzip;level=9", false},
		{"gzip;q=0.5,,", true},
		{" , gzip ", true},
	} {
		if got := acceptsGzip(tc.header); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

// FuzzAcceptsGzip: any header is answered without panicking, a header that
// names neither gzip nor * never gets gzip, and trailing empty members change
// nothing.
func FuzzAcceptsGzip(f *testing.F) {
	for _, s := range []string{"gzip", "gzip;q=0, *", "x-gzip;q=0.5", "*;q=1.000", "br;q=0.3", "gzip;q=NaN", ";;=,=;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := acceptsGzip(h)
		if got && !strings.Contains(strings.ToLower(h), "gzip") && !strings.Contains(h, "*") {
			t.Fatalf("acceptsGzip(%q) = true without gzip or *", h)
		}
		if again := acceptsGzip(h + ", ,"); again != got {
			t.Fatalf("acceptsGzip(%q) = %v but %v with empty members appended", h, got, again)
		}
	})
}
