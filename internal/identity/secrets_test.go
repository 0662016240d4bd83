package identity

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewSecret(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s, err := NewSecret(SigningSecretPrefix)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.RawURLEncoding.Strict().DecodeString(strings.TrimPrefix(s, SigningSecretPrefix))
		if !strings.HasPrefix(s, "dsk_") || err != nil || len(raw) != 32 {
			t.Fatalf("secret %q: not dsk_ + base64url of 32 bytes (%v)", s, err)
		}
		if seen[s] {
			t.Fatal("duplicate secret")
		}
		seen[s] = true
	}
}

// TX-02 and TX-08 at the unit level: a near miss fails, every hash in the
// list is compared, the previous secret works while its hash is listed.
func TestTX02_AppSecretMatches(t *testing.T) {
	current, _ := NewSecret(AppSecretPrefix)
	previous, _ := NewSecret(AppSecretPrefix)
	last := current[len(current)-1]
	nearMiss := current[:len(current)-1] + string(map[bool]byte{true: 'A', false: 'B'}[last != 'A'])
	both := [][]byte{HashAppSecret(current), HashAppSecret(previous)}
	for _, tc := range []struct {
		name   string
		secret string
		hashes [][]byte
		want   bool
	}{
		{"current", current, both, true},
		{"previous inside grace", previous, both, true},
		{"previous after grace", previous, both[:1], false},
		{"last character differs", nearMiss, both, false},
		{"prefix only", AppSecretPrefix, both, false},
		{"empty secret", "", both, false},
		{"no hashes", current, nil, false},
		{"empty hash listed", "", [][]byte{{}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := AppSecretMatches(tc.secret, tc.hashes); got != tc.want {
				t.Errorf("AppSecretMatches = %v, want %v", got, tc.want)
			}
		})
	}
	if strings.Contains(string(HashAppSecret(current)), current) || len(HashAppSecret(current)) != 32 {
		t.Error("HashAppSecret is not a 32-byte digest")
	}
}

func TestSecretHint(t *testing.T) {
	s, _ := NewSecret(SigningSecretPrefix)
	if got, want := SecretHint(s), "dsk_…"+s[len(s)-4:]; got != want {
		t.Errorf("SecretHint = %q, want %q", got, want)
	}
	for in, want := range map[string]string{"": "…", "dsk_short": "dsk_…", "nounderscoresecretvalue123456": "…3456", "averylongprefix_abcdefghijklmnopqrstuvwxyz": "…wxyz"} {
		if got := SecretHint(in); got != want {
			t.Errorf("SecretHint(%q) = %q, want %q", in, got, want)
		}
	}
}
