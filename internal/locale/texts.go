package locale

import "strings"

// Key names one server-side text. Keys are typed so that a typo fails to
// compile instead of showing an empty message to a visitor.
type Key int

const (
	// Greeting opens a new session when the channel sets no greeting and has no title.
	Greeting Key = iota
	// GreetingForTitle is Greeting naming the channel; it holds TitlePlaceholder.
	// Use GreetingFor rather than filling it by hand.
	GreetingForTitle
	// PartialCaveat is the first line of a reply built on weak evidence.
	PartialCaveat
	// NotFound replies when the documentation holds nothing relevant. It asks
	// the visitor to rephrase; it promises no human or ticket, since whether a
	// handoff happens is the chat engine's decision, not this text's.
	NotFound
	// Failure replaces a reply that could not be produced at all.
	Failure
	// Interrupted marks a reply that stopped before it was complete.
	Interrupted

	keyCount // keep last: the number of keys, for tests and tables
)

// Keys returns every key, for callers that must check or list all texts.
func Keys() []Key {
	keys := make([]Key, 0, keyCount)
	for k := Key(0); k < keyCount; k++ {
		keys = append(keys, k)
	}
	return keys
}

// String names the key for logs and test output.
func (k Key) String() string {
	switch k {
	case Greeting:
		return "greeting"
	case GreetingForTitle:
		return "greeting_for_title"
	case PartialCaveat:
		return "partial_caveat"
	case NotFound:
		return "not_found"
	case Failure:
		return "failure"
	case Interrupted:
		return "interrupted"
	}
	return "unknown"
}

// TitlePlaceholder marks where GreetingForTitle takes the channel title.
const TitlePlaceholder = "{title}"

// Text returns the text for key in lang. lang is normalized first; an
// unsupported language falls back to English, and an unknown key yields "".
func Text(lang string, key Key) string {
	lang = Normalize(lang)
	if lang == "" {
		lang = Fallback
	}
	if t := texts[lang][key]; t != "" {
		return t
	}
	return texts[Fallback][key]
}

// GreetingFor returns the default greeting in lang, naming the channel title
// when there is one. The title is inserted literally, once.
func GreetingFor(lang, title string) string {
	title = strings.TrimSpace(title)
	if title == "" {
		return Text(lang, Greeting)
	}
	return strings.Replace(Text(lang, GreetingForTitle), TitlePlaceholder, title, 1)
}
