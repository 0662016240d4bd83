// Package origin owns the one strict parser of web origins Docent trusts:
// allowed-origin lists, CORS decisions and CSP frame-ancestors all go through
// Parse, so an origin is compared only in its canonical form
// (scheme://host[:port], lowercase, IDN as punycode, default port dropped).
package origin

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// ErrInvalid is wrapped by every parse failure.
var ErrInvalid = errors.New("invalid origin")

// maxLen bounds what we parse at all: real origins are short.
const maxLen = 300

var profile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(true), idna.BidiRule())

// Parse returns the canonical form of s or an error wrapping ErrInvalid.
// Accepted: https://host[:port]; http only for localhost, 127.0.0.1 and [::1].
// Refused: wildcards, paths, queries, fragments, credentials, "null", spaces,
// control characters and anything that would not round-trip.
func Parse(s string) (string, error) {
	fail := func(why string) (string, error) { return "", fmt.Errorf("%w %q: %s", ErrInvalid, truncate(s), why) }
	if s == "" || len(s) > maxLen {
		return fail("empty or too long")
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("*;,\"'<>\\`{}|^", r) {
			return fail("contains a character not allowed in an origin")
		}
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return fail("want scheme://host")
	}
	scheme = strings.ToLower(scheme)
	if scheme != "https" && scheme != "http" {
		return fail("scheme must be https (or http for localhost)")
	}
	rest = strings.TrimSuffix(rest, "/")
	if strings.ContainsAny(rest, "/?#@") {
		return fail("an origin has no path, query, fragment or credentials")
	}
	u, err := url.Parse(scheme + "://" + rest)
	if err != nil || u.Host == "" {
		return fail("unparseable host")
	}
	host, port := u.Hostname(), u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
			return fail("bad port")
		}
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if ip := net.ParseIP(host); ip != nil {
		if strings.Contains(host, ":") {
			host = "[" + ip.String() + "]"
		} else {
			host = ip.String()
		}
	} else {
		ascii, err := profile.ToASCII(host)
		if err != nil || ascii == "" || strings.HasSuffix(ascii, ".") {
			return fail("bad host name")
		}
		host = strings.ToLower(ascii)
	}
	if scheme == "http" && !IsLoopbackHost(host) {
		return fail("http is allowed only for localhost; use https")
	}
	if port != "" {
		return scheme + "://" + host + ":" + port, nil
	}
	return scheme + "://" + host, nil
}

// IsLoopbackHost reports whether a canonical host names this machine.
func IsLoopbackHost(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || strings.HasSuffix(host, ".localhost")
}

// ParseList parses every entry; on any invalid entry it fails as a whole,
// naming the index, so that a bad list is never half-applied.
func ParseList(list []string) ([]string, error) {
	out := make([]string, 0, len(list))
	seen := map[string]bool{}
	for i, s := range list {
		o, err := Parse(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out, nil
}

// Of returns the canonical origin of an absolute URL, or "" if it has none.
func Of(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	o, err := Parse(u.Scheme + "://" + u.Host)
	if err != nil {
		return ""
	}
	return o
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
