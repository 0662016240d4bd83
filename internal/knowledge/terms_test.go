package knowledge

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

func TestTermsNormalization(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"lowercase and split on punctuation", "Hello, WORLD! foo-bar/baz_qux", []string{"hello", "world", "foo", "bar", "baz", "qux"}},
		{"digits stay in words", "utf8 G11 v1.2.3", []string{"utf8", "g11", "v1", "2", "3"}},
		{"latin diacritics fold", "café naïve Ångström Łódź", []string{"caf", "naiv", "angstrom", "lodz"}},
		{"sharp s", "Straße STRASSE", []string{"strass", "strass"}},
		{"umlauts", "über Über uber", []string{"uber", "uber", "uber"}},
		{"decomposed accents equal precomposed", "e\u0301cole école", []string{"ecol", "ecol"}},
		{"vietnamese", "Tiếng Việt", []string{"tieng", "viet"}},
		{"russian yo", "Ёлка ёлка елка", []string{"елк", "елк", "елк"}},
		{"russian short kept", "и в на", []string{"и", "в", "на"}},
		{"russian keeps й", "й и", []string{"й", "и"}},
		{"arabic harakat removed", "كَلِمَة كلمة", []string{"كلمه", "كلمه"}},
		{"arabic tatweel removed", "كلـــمة", []string{"كلمه"}},
		{"arabic alef variants", "أحمد إحمد آحمد احمد", []string{"احمد", "احمد", "احمد", "احمد"}},
		{"arabic yaa and taa marbuta", "مستشفى مستشفي مدرسة مدرسه", []string{"مستشفي", "مستشفي", "مدرسه", "مدرسه"}},
		{"arabic article", "المرور والمرور بالمرور مرور", []string{"مرور", "مرور", "مرور", "مرور"}},
		{"arabic-indic digits", "٢٠٢٤ ۲۰۲۴", []string{"2024", "2024"}},
		{"chinese bigrams", "重置密码", []string{"重置", "置密", "密码"}},
		{"single han char", "我 好", []string{"我", "好"}},
		{"japanese scripts split runs", "パスワードを設定", []string{"パス", "スワ", "ワー", "ード", "を", "設定"}},
		{"hangul bigrams", "비밀번호", []string{"비밀", "밀번", "번호"}},
		{"cjk next to latin", "API密钥", []string{"api", "密钥"}},
		{"full-width latin", "ＡＰＩ１２", []string{"api12"}},
		{"zero-width joins", "pass\u200bword pa\u00adss\u2060word", []string{"password", "password"}},
		{"bidi controls ignored", "\u202egnp.txt", []string{"gnp", "txt"}},
		{"empty", "", nil},
		{"only punctuation", " ,.;!? ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Terms(tt.text)); diff != "" {
				t.Errorf("Terms(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestTermsStemming checks that forms a visitor and a writer use for the same
// thing meet, and that words whose ending is part of the word are left alone.
func TestTermsStemming(t *testing.T) {
	same := [][]string{
		{"embed", "embeds", "embedding", "embedded"},
		{"make", "makes", "making"},
		{"use", "uses", "used", "using"},
		{"configure", "configured", "configures", "configuring"},
		{"policy", "policies"},
		{"apply", "applied", "applies", "applying"},
		{"run", "runs", "running"},
		{"set", "sets", "setting"},
		{"ask", "asked", "asking"},
		{"add", "added", "adding"},
		{"class", "classes"},
		{"string", "strings"},
		{"hide", "hidden"},
		{"Dokument", "Dokumente", "Dokumenten"},
		{"Einstellung", "Einstellungen"},
		{"configuración", "configuraciones", "configuracion"},
		{"ciudad", "ciudades"},
		{"paramètre", "paramètres", "parametre"},
		{"настройка", "настройки", "настройках", "настройку"},
		{"пароль", "пароля", "паролем"},
	}
	for _, forms := range same {
		want := Terms(forms[0])
		for _, f := range forms[1:] {
			if got := Terms(f); !cmp.Equal(got, want) {
				t.Errorf("Terms(%q) = %q, want the same as Terms(%q) = %q", f, got, forms[0], want)
			}
		}
	}
	distinct := [][2]string{
		{"need", "ne"}, {"thing", "th"}, {"string", "str"}, {"speed", "spe"},
		{"status", "stat"}, {"analysis", "analys"}, {"bus", "bu"}, {"token", "tok"},
		{"ring", "r"}, {"pass", "pas"},
	}
	for _, pair := range distinct {
		if a, b := Terms(pair[0]), Terms(pair[1]); cmp.Equal(a, b) {
			t.Errorf("Terms(%q) = Terms(%q) = %q: the ending is part of the word", pair[0], pair[1], a)
		}
	}
}

func TestTermsTruncatesLongWords(t *testing.T) {
	long := strings.Repeat("é", 100) // folds to 100 ASCII bytes
	got := Terms(long + " " + strings.Repeat("ж", 100))
	if len(got) != 2 {
		t.Fatalf("got %d terms, want 2", len(got))
	}
	for _, term := range got {
		if len(term) > maxTermBytes || !utf8.ValidString(term) {
			t.Errorf("term %q: %d bytes (max %d), valid UTF-8 %v", term, len(term), maxTermBytes, utf8.ValidString(term))
		}
	}
}

func TestIsStopword(t *testing.T) {
	tests := []struct {
		word string
		want bool
	}{
		{"the", true}, {"How", true}, {"does", true}, {"der", true}, {"und", true},
		{"comment", true}, {"où", true}, {"cómo", true}, {"como", true}, {"как", true},
		{"для", true}, {"كيف", true}, {"の", true}, {"如何", true}, {"我的", true},
		{"password", false}, {"reset", false}, {"use", false}, {"Passwort", false},
		{"пароль", false}, {"密码", false}, {"widget", false},
	}
	for _, tt := range tests {
		terms := Terms(tt.word)
		if len(terms) != 1 {
			t.Fatalf("Terms(%q) = %q, want one term", tt.word, terms)
		}
		if got := IsStopword(terms[0]); got != tt.want {
			t.Errorf("IsStopword(Terms(%q) = %q) = %v, want %v", tt.word, terms[0], got, tt.want)
		}
	}
}

func FuzzTerms(f *testing.F) {
	for _, seed := range []string{
		"How do I reset my password?", "Straße über café", "Ёлка настройках", "كَلِمَة المرور",
		"パスワードをリセット", "重置密码", "비밀번호", "pass\u200bword", "ＡＰＩ", "e\u0301cole",
		"\xff\xfe invalid", strings.Repeat("a", 200), "İstanbul ΣΊΣΥΦΟΣ",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms := Terms(text)
		for _, term := range terms {
			if term == "" || len(term) > maxTermBytes || !utf8.ValidString(term) {
				t.Fatalf("bad term %q from %q", term, text)
			}
			for _, r := range term {
				if unicode.IsSpace(r) || isInvisible(r) || unicode.IsUpper(r) || unicode.IsPunct(r) {
					t.Fatalf("term %q from %q holds %U", term, text, r)
				}
			}
		}
		if utf8.ValidString(text) {
			// Canonically equivalent text has the same terms.
			if nfd := Terms(norm.NFD.String(text)); !cmp.Equal(nfd, terms) {
				t.Fatalf("Terms(NFD(%q)) = %q, Terms = %q", text, nfd, terms)
			}
		}
	})
}
