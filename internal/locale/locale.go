// Package locale owns the languages Docent ships server-side strings for and
// how a free-form language tag is mapped onto them: normalizing BCP 47-ish tags
// (from browsers, identity tokens, config files, POSIX locales), picking the
// first supported one from a preference list, telling right-to-left languages
// apart, and the localized texts themselves (locale/texts.go).
package locale

import "strings"

// Fallback is the language used when no candidate is supported.
const Fallback = "en"

// supported lists the shipped languages in a stable order (PROTOCOL §7).
var supported = []string{"en", "es", "fr", "de", "ru", "ar", "ja", "zh-TW"}

// primaryToSupported maps lowercased primary subtags, two- and three-letter
// (ISO 639-1, 639-2/B and /T), to a shipped language. Every Chinese tag maps to
// zh-TW: Traditional Chinese is the only Chinese Docent ships, and a reader of
// Simplified Chinese reads Traditional far better than the English fallback.
var primaryToSupported = map[string]string{
	"en": "en", "eng": "en",
	"es": "es", "spa": "es",
	"fr": "fr", "fra": "fr", "fre": "fr",
	"de": "de", "deu": "de", "ger": "de",
	"ru": "ru", "rus": "ru",
	"ar": "ar", "ara": "ar",
	"ja": "ja", "jpn": "ja",
	"zh": "zh-TW", "zho": "zh-TW", "chi": "zh-TW", "cmn": "zh-TW", "yue": "zh-TW",
}

// Languages returns the shipped languages, English first.
func Languages() []string {
	return append([]string(nil), supported...)
}

// Normalize maps a language tag to one of the shipped languages, or "" when it
// names none of them or is not a tag at all. It accepts what arrives in
// practice: any case, "_" for "-", POSIX suffixes ("de_AT.UTF-8@euro"), and the
// first entry of an Accept-Language list ("fr-CH, fr;q=0.9"). Region and
// script subtags are ignored except that every Chinese variant (zh, zh-CN,
// zh-Hans, zh-HK, zh-TW…) becomes "zh-TW".
func Normalize(tag string) string {
	primary := primarySubtag(tag)
	return primaryToSupported[primary]
}

// Pick returns the normalized form of the first supported candidate, or
// Fallback when none is. Callers list candidates in precedence order, e.g. the
// question's language, the KYC locale, the browser locale, the channel default.
func Pick(candidates ...string) string {
	for _, c := range candidates {
		if lang := Normalize(c); lang != "" {
			return lang
		}
	}
	return Fallback
}

// rtlPrimaries are languages written right to left in their usual script.
var rtlPrimaries = map[string]bool{
	"ar": true, "ara": true, "he": true, "heb": true, "iw": true, "fa": true, "fas": true,
	"per": true, "ur": true, "urd": true, "ps": true, "pus": true, "sd": true, "ug": true,
	"yi": true, "yid": true, "dv": true, "div": true, "ckb": true,
}

// rtlScripts are ISO 15924 script subtags written right to left; they decide
// for tags like "az-Arab" or "pa-Arab" whose language is usually LTR.
var rtlScripts = map[string]bool{
	"arab": true, "hebr": true, "thaa": true, "syrc": true, "nkoo": true, "adlm": true, "rohg": true,
}

// IsRTL reports whether text in lang is written right to left. It answers for
// any tag, not only the shipped languages, so a UI can mirror itself for a
// visitor whose text it shows even when the strings around it are English.
func IsRTL(lang string) bool {
	subtags := splitTag(lang)
	if len(subtags) == 0 {
		return false
	}
	for _, s := range subtags[1:] {
		if len(s) == 4 {
			return rtlScripts[s]
		}
	}
	return rtlPrimaries[subtags[0]]
}

// primarySubtag returns the lowercased primary language subtag of tag, or ""
// when it is not 2–3 ASCII letters (junk, "*", "C", "POSIX", empty).
func primarySubtag(tag string) string {
	subtags := splitTag(tag)
	if len(subtags) == 0 {
		return ""
	}
	return subtags[0]
}

// splitTag lowercases tag, drops what is not part of a language tag, and splits
// it into subtags. It returns nil when the primary subtag is not 2–3 letters.
func splitTag(tag string) []string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, ",;.@ "); i >= 0 {
		tag = tag[:i]
	}
	tag = strings.ToLower(strings.ReplaceAll(tag, "_", "-"))
	subtags := strings.Split(tag, "-")
	if p := subtags[0]; len(p) < 2 || len(p) > 3 || !isASCIILetters(p) {
		return nil
	}
	return subtags
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
