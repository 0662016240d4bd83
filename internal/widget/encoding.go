package widget

import "strings"

// The bundles are served gzip-compressed to every client that accepts it:
// PERFORMANCE.md budgets them in gzip-9 bytes (G1, G2), and that is what a
// visitor's browser downloads. They are compressed once, when the server
// starts, at level 9, so no request pays for compression and the bytes on the
// wire are exactly the budgeted ones. Only these public, secret-free bundles
// are compressed: compressing responses that mix a secret with text an
// attacker can influence would open the door to BREACH-style guessing.

// acceptsGzip reports whether an Accept-Encoding field value (RFC 9110
// §12.5.3; several fields joined with ",") admits gzip: listed as gzip or
// x-gzip with a non-zero weight, or covered by a non-zero "*" that gzip is not
// explicitly refused from. Malformed members are ignored, as are weights that
// do not parse; a client that says nothing gets identity.
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for member := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(member, ";")
		q, ok := weight(params)
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipQ = max(gzipQ, q)
		case "*":
			starQ = max(starQ, q)
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// weight reads the q parameter of an Accept-Encoding member ("" → 1). ok is
// false when the member's parameters are malformed.
func weight(params string) (q float64, ok bool) {
	params = strings.TrimSpace(params)
	if params == "" {
		return 1, true
	}
	name, value, found := strings.Cut(params, "=")
	if !found || !strings.EqualFold(strings.TrimSpace(name), "q") {
		return 0, false
	}
	return qvalue(strings.TrimSpace(value))
}

// qvalue parses RFC 9110's qvalue: "0" or "1", optionally followed by a
// point and up to three digits (only zeros after a 1). Anything else, NaN
// and exponents included, is malformed.
func qvalue(v string) (float64, bool) {
	whole, frac, _ := strings.Cut(v, ".")
	if (whole != "0" && whole != "1") || len(frac) > 3 {
		return 0, false
	}
	n := 0
	for _, c := range frac {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	for range 3 - len(frac) {
		n *= 10
	}
	if whole == "1" && n > 0 {
		return 0, false
	}
	return float64(whole[0]-'0') + float64(n)/1000, true
}
