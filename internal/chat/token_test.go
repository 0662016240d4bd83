package chat

import (
	"strings"
	"testing"
)

// TestAS01_SessionTokens: 256 random bits, base64url, only the hash is kept.
func TestAS01_SessionTokens(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		token, hash, err := newToken()
		if err != nil {
			t.Fatal(err)
		}
		if len(token) != 43 || seen[token] {
			t.Fatalf("token %q is malformed or repeated", token)
		}
		seen[token] = true
		h, ok := HashToken(token)
		if !ok || string(h) != string(hash) || strings.Contains(string(hash), token) {
			t.Fatal("hash does not match")
		}
	}
}

func FuzzHashToken(f *testing.F) {
	token, _, _ := newToken()
	for _, s := range []string{token, "", strings.Repeat("A", 43), strings.Repeat("=", 43), token + "="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, ok := HashToken(s)
		if ok && (len(h) != 32 || len(s) != 43) {
			t.Fatalf("accepted %q", s)
		}
	})
}

func TestValidators(t *testing.T) {
	keys := map[string]bool{"demo": true, "a": false, "-demo": false, "Demo": false, "my-docs-2": true, strings.Repeat("a", 64): false}
	for k, want := range keys {
		if validKey(k) != want {
			t.Errorf("validKey(%q) != %v", k, want)
		}
	}
	ids := map[string]bool{"": true, "c-1": true, "550e8400-e29b-41d4-a716-446655440000": true, "a b": false, strings.Repeat("a", 129): false}
	for id, want := range ids {
		if validClientMessageID(id) != want {
			t.Errorf("validClientMessageID(%q) != %v", id, want)
		}
	}
}
