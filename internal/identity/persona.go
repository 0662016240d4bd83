package identity

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Persona modes of PROTOCOL §3.
const (
	PersonaPublic   = "public"
	PersonaCustomer = "customer"
	PersonaEmployee = "employee"
	PersonaTest     = "test"
)

// maxPersonaIDLen caps the optional analytics id of public and test personas.
const maxPersonaIDLen = 128

// ValidPersonaUserID applies the persona rules of PROTOCOL §3 to a user_id
// as decoded from JSON (string, json.Number, float64, an integer type or
// nil) and returns its canonical string form.
//
//   - customer, employee: required positive integer ≤ 2^53, as a JSON number
//     or a decimal string without sign, leading zeros or whitespace. A
//     json.Number must be a plain integer literal; a float64 must be
//     integral (decode with UseNumber to keep ids above 2^53 from rounding).
//   - public, test: optional; absent, null or "" → ("", true); otherwise a
//     string of at most 128 printable characters (not only spaces) or a
//     finite number, returned as given.
//
// Any other mode, and any other type, is refused. A valid id is still a
// direct (claimed) identity, never a verified one (§6.3).
func ValidPersonaUserID(mode string, v any) (string, bool) {
	switch mode {
	case PersonaCustomer, PersonaEmployee:
		n, ok := positiveInteger(v)
		if !ok {
			return "", false
		}
		return strconv.FormatInt(n, 10), true
	case PersonaPublic, PersonaTest:
		return optionalPersonaID(v)
	default:
		return "", false
	}
}

func positiveInteger(v any) (int64, bool) {
	var n int64
	switch x := v.(type) {
	case string:
		p, ok := parseSafeUint(x)
		if !ok {
			return 0, false
		}
		n = p
	case json.Number:
		p, ok := parseSafeUint(string(x))
		if !ok {
			return 0, false
		}
		n = p
	case float64:
		if x != math.Trunc(x) || x < 1 || x > maxSafeInteger {
			return 0, false
		}
		n = int64(x)
	case int:
		n = int64(x)
	case int64:
		n = x
	case int32:
		n = int64(x)
	case uint64:
		if x > maxSafeInteger {
			return 0, false
		}
		n = int64(x)
	default:
		return 0, false
	}
	return n, n >= 1 && n <= maxSafeInteger
}

func optionalPersonaID(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		if x == "" {
			return "", true
		}
		if utf8.RuneCountInString(x) > maxPersonaIDLen || !isPrintable(x) || strings.TrimSpace(x) == "" {
			return "", false
		}
		return x, true
	case json.Number:
		if _, err := strconv.ParseFloat(string(x), 64); err != nil || len(x) > maxPersonaIDLen {
			return "", false
		}
		return string(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", false
		}
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	default:
		return "", false
	}
}
