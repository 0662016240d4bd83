package identity

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

func TestStrictJSONAccepts(t *testing.T) {
	for _, in := range []string{
		`{}`, ` { "a" : 1 } `, `{"a":"x","b":[1,2,{"c":null}],"d":true,"e":false}`,
		`{"a":-0.5e+10,"b":0,"c":1E-2}`, `{"emoji":"\ud83d\ude00","slash":"\/","quote":"\""}`,
		`{"ü":"ä","Ü2":"x"}`, `{"a":"é"}`,
	} {
		got, err := parseStrictObject([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		want := decodeStd(t, []byte(in))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: differs from encoding/json (-std +strict):\n%s", in, diff)
		}
	}
}

func TestStrictJSONRejects(t *testing.T) {
	for name, in := range map[string]string{
		"duplicate":            `{"a":1,"a":1}`,
		"case variant":         `{"user_id":"a","USER_ID":"b"}`,
		"escaped duplicate":    `{"a":1,"\u0061":2}`,
		"kelvin sign":          `{"k":1,"\u212a":2}`,
		"long s":               `{"s":1,"\u017f":2}`,
		"nested duplicate":     `{"a":{"b":1,"B":2}}`,
		"invalid UTF-8":        "{\"a\":\"\xff\"}",
		"invalid UTF-8 key":    "{\"\xc3\":1}",
		"overlong UTF-8":       "{\"a\":\"\xc0\xaf\"}",
		"lone high surrogate":  `{"a":"x\ud800y"}`,
		"lone low surrogate":   `{"a":"\udc00"}`,
		"high then non-low":    `{"a":"\ud800\u0041"}`,
		"high at end":          `{"a":"\ud800"}`,
		"NUL escape":           `{"a":"\u0000"}`,
		"newline escape":       `{"a":"\n"}`,
		"raw tab":              "{\"a\":\"\t\"}",
		"C1 escape":            `{"a":"\u009f"}`,
		"DEL raw":              "{\"a\":\"\x7f\"}",
		"too deep":             `{"a":{"b":{"c":{"d":{}}}}}`,
		"too deep arrays":      `{"a":[[[[1]]]]}`,
		"array top level":      `[1]`,
		"string top level":     `"x"`,
		"empty":                ``,
		"trailing data":        `{}{}`,
		"trailing comma":       `{"a":1,}`,
		"leading zero":         `{"a":01}`,
		"bare minus":           `{"a":-}`,
		"dot without digits":   `{"a":1.}`,
		"exponent only":        `{"a":1e}`,
		"single quotes":        `{'a':1}`,
		"unterminated":         `{"a":"x`,
		"bad escape":           `{"a":"\x"}`,
		"short unicode escape": `{"a":"\u12"}`,
		"truthy":               `{"a":tru}`,
		"BOM":                  "\ufeff{}",
		"NaN":                  `{"a":NaN}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseStrictObject([]byte(in)); !errors.Is(err, errStrictJSON) {
				t.Errorf("err = %v, want a strict json error", err)
			}
		})
	}
	three := `{"a":{"b":{"c":1}}}`
	if _, err := parseStrictObject([]byte(three)); err != nil {
		t.Errorf("depth 3 refused: %v", err)
	}
}

func decodeStd(t testing.TB, data []byte) any {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("encoding/json refused what strict accepted: %v", err)
	}
	return v
}

// FuzzStrictJSON: whatever the strict parser accepts, encoding/json decodes
// to the same value, both as a generic map and into a struct field named
// after each key (where case folding would let a variant key win).
func FuzzStrictJSON(f *testing.F) {
	for _, seed := range []string{
		`{"user_id":"alice","USER_ID":"admin"}`, `{"a":1,"a":2}`, `{"a":"x\ud800y"}`, `{"k":1,"\u212a":2}`,
		`{"a":[1,{"b":"\u00e9"}],"c":null}`, `{"exp":1e3,"iat":-1}`, "{\"a\":\"\xff\"}", `{"a":"\ud83d\ude00"}`,
		`{"a":{"b":{"c":{}}}}`, `{}`, `{"user_\u0069d":1,"user_id":2}`, `{"a":"\udc00"}`, `{"a":"\ufffd"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseStrictObject(data)
		if err != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("strict accepted invalid JSON %q", data)
		}
		if diff := cmp.Diff(decodeStd(t, data), any(got)); diff != "" {
			t.Fatalf("decoded differently (-std +strict):\n%s", diff)
		}
		// U+FFFD in the result must come from the input, not from a
		// replaced lone surrogate or invalid byte (two ids collapsing).
		literalFFFD := bytes.Contains(data, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(data), []byte(`\ufffd`))
		if !literalFFFD && containsReplacement(got) {
			t.Fatalf("strict produced U+FFFD from %q", data)
		}
		for key, want := range got {
			if !validTagName(key) {
				continue
			}
			typ := reflect.StructOf([]reflect.StructField{{Name: "F", Type: reflect.TypeFor[any](), Tag: reflect.StructTag(`json:"` + key + `"`)}})
			ptr := reflect.New(typ)
			d := json.NewDecoder(bytes.NewReader(data))
			d.UseNumber()
			if err := d.Decode(ptr.Interface()); err != nil {
				t.Fatalf("struct decode: %v", err)
			}
			if diff := cmp.Diff(want, ptr.Elem().Field(0).Interface()); diff != "" {
				t.Fatalf("field %q decoded differently into a struct (-strict +std):\n%s", key, diff)
			}
		}
	})
}

func containsReplacement(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.ContainsRune(x, unicode.ReplacementChar)
	case []any:
		for _, e := range x {
			if containsReplacement(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if containsReplacement(k) || containsReplacement(e) {
				return true
			}
		}
	}
	return false
}

// validTagName mirrors encoding/json's isValidTag ("-" means "skip").
func validTagName(s string) bool {
	if s == "" || s == "-" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
