// Package identity owns everything Docent trusts about who a widget visitor
// is: it verifies HMAC identity tokens (PROTOCOL §6.1) and host assertions
// (§6.2), validates direct user ids and persona ids (§3, §6.3), issues and
// verifies our own exchange tokens (§6.4), mints and hashes channel secrets,
// and protects signing secrets at rest with a keyring.
//
// It is pure: no HTTP and no database. Callers pass the secrets of the
// endpoint's channel (never a key named by the token) and record assertion
// jtis durably themselves. Every verifier fails closed with a *Rejection that
// carries one of the coarse reasons of PROTOCOL §5 and a detail for logs that
// never contains token material.
//
// Parsing is deliberately strict (SECURITY §0.1 items 3 and 6): one canonical
// base64url encoding, HS256 only, and claim JSON without duplicate or
// case-variant keys, invalid UTF-8, lone surrogates or control characters,
// because encoding/json silently accepts all of those.
package identity
