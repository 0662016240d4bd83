package locale

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"en", "en"},
		{"EN", "en"},
		{"en-US", "en"},
		{"en_GB", "en"},
		{"  en-us  ", "en"},
		{"de-AT", "de"},
		{"de_CH.UTF-8", "de"},
		{"de_DE@euro", "de"},
		{"deu", "de"},
		{"fr-CA", "fr"},
		{"fr-CH, fr;q=0.9, en;q=0.8", "fr"},
		{"es-419", "es"},
		{"ru-RU", "ru"},
		{"ar-EG", "ar"},
		{"ar", "ar"},
		{"ja-JP", "ja"},
		{"zh-TW", "zh-TW"},
		{"zh_TW", "zh-TW"},
		{"zh-tw", "zh-TW"},
		{"zh-Hant", "zh-TW"},
		{"zh-Hant-HK", "zh-TW"},
		{"zh-Hans", "zh-TW"},
		{"zh-CN", "zh-TW"},
		{"zh", "zh-TW"},
		{"pt-BR", ""},
		{"pt", ""},
		{"he-IL", ""},
		{"", ""},
		{"   ", ""},
		{"*", ""},
		{"C", ""},
		{"POSIX", ""},
		{"e", ""},
		{"english", ""},
		{"12-34", ""},
		{"-en", ""},
		{"日本語", ""},
		{"en\x00", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeResultIsShipped(t *testing.T) {
	for _, lang := range Languages() {
		if got := Normalize(lang); got != lang {
			t.Errorf("Normalize(%q) = %q: a shipped language must normalize to itself", lang, got)
		}
	}
}

func TestPick(t *testing.T) {
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"none", nil, "en"},
		{"all unsupported", []string{"pt-BR", "", "xx"}, "en"},
		{"first supported wins", []string{"pt-BR", "de-AT", "fr"}, "de"},
		{"normalized", []string{"ZH_hant"}, "zh-TW"},
		{"empty skipped", []string{"", "ja-JP"}, "ja"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Pick(tt.candidates...); got != tt.want {
				t.Errorf("Pick(%q) = %q, want %q", tt.candidates, got, tt.want)
			}
		})
	}
}

func TestIsRTL(t *testing.T) {
	tests := []struct {
		lang string
		want bool
	}{
		{"ar", true},
		{"ar-EG", true},
		{"AR_sa", true},
		{"he", true},
		{"fa-IR", true},
		{"ur", true},
		{"az-Arab", true},
		{"ar-Latn", false},
		{"en", false},
		{"zh-TW", false},
		{"ja", false},
		{"", false},
		{"junk!", false},
	}
	for _, tt := range tests {
		if got := IsRTL(tt.lang); got != tt.want {
			t.Errorf("IsRTL(%q) = %v, want %v", tt.lang, got, tt.want)
		}
	}
}

func TestEveryKeyHasTextInEveryLanguage(t *testing.T) {
	if len(texts) != len(Languages()) {
		t.Errorf("texts has %d languages, Languages() lists %d", len(texts), len(Languages()))
	}
	for _, lang := range Languages() {
		table, ok := texts[lang]
		if !ok {
			t.Errorf("no texts for shipped language %q", lang)
			continue
		}
		for _, key := range Keys() {
			text := strings.TrimSpace(table[key])
			if text == "" {
				t.Errorf("%s/%s: empty text", lang, key)
			}
			if key == GreetingForTitle {
				if strings.Count(text, TitlePlaceholder) != 1 {
					t.Errorf("%s/%s: want exactly one %s in %q", lang, key, TitlePlaceholder, text)
				}
			} else if strings.Contains(text, "{") {
				t.Errorf("%s/%s: unexpected placeholder in %q", lang, key, text)
			}
			if lang != Fallback && text == texts[Fallback][key] {
				t.Errorf("%s/%s: identical to English, not translated", lang, key)
			}
		}
	}
}

func TestTextsAreDistinctPerLanguage(t *testing.T) {
	// A copy-paste slip (two keys sharing one text) would show the wrong message.
	for _, lang := range Languages() {
		seen := map[string]Key{}
		for _, key := range Keys() {
			text := texts[lang][key]
			if other, dup := seen[text]; dup {
				t.Errorf("%s: %s and %s share the text %q", lang, other, key, text)
			}
			seen[text] = key
		}
	}
}

func TestTextFallsBackToEnglish(t *testing.T) {
	tests := []struct {
		lang string
		want string
	}{
		{"pt-BR", texts["en"][NotFound]},
		{"", texts["en"][NotFound]},
		{"de-AT", texts["de"][NotFound]},
		{"zh-Hans", texts["zh-TW"][NotFound]},
	}
	for _, tt := range tests {
		if got := Text(tt.lang, NotFound); got != tt.want {
			t.Errorf("Text(%q, NotFound) = %q, want %q", tt.lang, got, tt.want)
		}
	}
	if got := Text("en", Key(999)); got != "" {
		t.Errorf("Text with an unknown key = %q, want empty", got)
	}
}

func TestGreetingFor(t *testing.T) {
	tests := []struct {
		lang, title, want string
	}{
		{"en", "Acme Docs", "Hi! I'm the documentation assistant. Ask me anything about Acme Docs."},
		{"en", "  ", texts["en"][Greeting]},
		{"ja", "Docent", "こんにちは！ドキュメントアシスタントです。Docentについて何でも質問してください。"},
		{"ru", "Docent", "Здравствуйте! Я ассистент по документации. Задайте мне любой вопрос по теме «Docent»."},
		// A title that itself looks like a placeholder is inserted literally, once.
		{"de", "{title}", "Hallo! Ich bin der Dokumentationsassistent. Fragen Sie mich alles rund um {title}."},
	}
	for _, tt := range tests {
		if got := GreetingFor(tt.lang, tt.title); got != tt.want {
			t.Errorf("GreetingFor(%q, %q) = %q, want %q", tt.lang, tt.title, got, tt.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, seed := range []string{"en-US", "zh_Hant_TW", "de_AT.UTF-8@euro", "", "*", "fr;q=0.5", "\xff\xfe"} {
		f.Add(seed)
	}
	shipped := map[string]bool{"": true}
	for _, l := range Languages() {
		shipped[l] = true
	}
	f.Fuzz(func(t *testing.T, tag string) {
		got := Normalize(tag)
		if !shipped[got] {
			t.Fatalf("Normalize(%q) = %q, not a shipped language", tag, got)
		}
		if got != "" && Normalize(got) != got {
			t.Fatalf("Normalize is not idempotent on %q", got)
		}
		if Pick(tag) == "" {
			t.Fatalf("Pick(%q) returned empty", tag)
		}
		_ = IsRTL(tag)
	})
}
