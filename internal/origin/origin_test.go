package origin

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://example.com", "https://example.com"},
		{"https://EXAMPLE.com", "https://example.com"},
		{"https://example.com/", "https://example.com"},
		{"https://example.com:443", "https://example.com"},
		{"https://example.com:8443", "https://example.com:8443"},
		{"http://localhost:3000", "http://localhost:3000"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://[::1]:8080", "http://[::1]:8080"},
		{"https://bücher.example", "https://xn--bcher-kva.example"},
		{"HTTPS://Shop.Example.COM", "https://shop.example.com"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestOR03_InvalidOriginsRefused covers SECURITY OR-03 and OR-04.
func TestOR03_InvalidOriginsRefused(t *testing.T) {
	bad := []string{
		"*", "https://*.example.com", "example.com", "https://example.com/path",
		"javascript:alert(1)", "null", "https://exa mple.com", "http://shop.example",
		"https://a.com; script-src *", "https://a.com\r\nX: y", "https://user:pw@a.com",
		"https://a.com?x=1", "https://a.com#f", "ftp://a.com", "https://", "",
		"https://a.com:99999", "https://a.com:0", "https://a.com:+80", strings.Repeat("a", 400),
	}
	for _, s := range bad {
		if got, err := Parse(s); err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) = %q, %v; want ErrInvalid", s, got, err)
		}
	}
}

func TestParseListAtomic(t *testing.T) {
	if _, err := ParseList([]string{"https://a.example", "*"}); err == nil || !strings.Contains(err.Error(), "entry 1") {
		t.Fatalf("want entry 1 error, got %v", err)
	}
	got, err := ParseList([]string{"https://a.example", "https://A.example/"})
	if err != nil || len(got) != 1 {
		t.Fatalf("dedupe: %v %v", got, err)
	}
}

func FuzzOrigin(f *testing.F) {
	for _, s := range []string{"https://example.com", "http://localhost:1", "https://bücher.example", "null", "*", "https://a.com; x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := Parse(s)
		if err != nil {
			return
		}
		// A canonical origin parses to itself and cannot inject CSP or headers.
		again, err := Parse(o)
		if err != nil || again != o {
			t.Fatalf("not canonical: %q -> %q -> %q, %v", s, o, again, err)
		}
		if strings.ContainsAny(o, " ;,\r\n*'\"") {
			t.Fatalf("unsafe character in %q", o)
		}
	})
}
