package identity

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDU_PersonaUserIDRules(t *testing.T) {
	for _, tc := range []struct {
		mode string
		in   any
		want string
		ok   bool
	}{
		{"customer", json.Number("42"), "42", true},
		{"customer", float64(42), "42", true},
		{"customer", "42", "42", true},
		{"employee", 7, "7", true},
		{"customer", json.Number("9007199254740992"), "9007199254740992", true},
		{"customer", "9007199254740992", "9007199254740992", true},
		{"customer", json.Number("9007199254740993"), "", false},
		{"customer", float64(1 << 54), "", false},
		{"customer", json.Number("0"), "", false},
		{"customer", json.Number("-1"), "", false},
		{"customer", json.Number("1.5"), "", false},
		{"customer", json.Number("1e3"), "", false},
		{"customer", float64(1.5), "", false},
		{"customer", "042", "", false},
		{"customer", "+42", "", false},
		{"customer", " 42", "", false},
		{"customer", "42 ", "", false},
		{"customer", "abc", "", false},
		{"customer", "", "", false},
		{"customer", nil, "", false},
		{"customer", true, "", false},
		{"employee", -3, "", false},
		{"public", nil, "", true},
		{"public", "", "", true},
		{"public", "fp-abc123", "fp-abc123", true},
		{"test", json.Number("12.5"), "12.5", true},
		{"test", float64(12), "12", true},
		{"public", strings.Repeat("x", 128), strings.Repeat("x", 128), true},
		{"public", strings.Repeat("x", 129), "", false},
		{"public", "a\nb", "", false},
		{"public", "   ", "", false},
		{"public", "a\xffb", "", false},
		{"public", []any{"x"}, "", false},
		{"admin", json.Number("42"), "", false},
		{"", "x", "", false},
	} {
		got, ok := ValidPersonaUserID(tc.mode, tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ValidPersonaUserID(%q, %#v) = (%q, %v), want (%q, %v)", tc.mode, tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
