// Package errs owns Docent's error values: a semantic Kind (what went wrong,
// independent of any transport) and a stable snake_case Code that clients may
// branch on. Domain packages return these; the HTTP edge maps Kind to a status
// and writes the Code in a problem+json body. Tests assert codes, not text.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error for the transport edge.
type Kind int

const (
	Internal         Kind = iota // a bug or an unexpected failure: logged, never detailed to clients
	Invalid                      // malformed or unacceptable input
	Unauthorized                 // missing or invalid credentials
	Forbidden                    // understood, but refused by policy
	NotFound                     // no such thing (or not yours)
	Conflict                     // the state does not allow it now
	TooLarge                     // over a size cap
	RateLimited                  // slow down
	Unavailable                  // a transient fault; retry later
	UnsupportedMedia             // a body in a format the endpoint does not take
)

// Error is an error with a stable code.
type Error struct {
	Kind   Kind
	Code   string // stable, snake_case
	Detail string // human-readable, safe to show to the caller
	// RetryAfter, when set, tells the caller when to try again.
	RetryAfter time.Duration
	// Err is the underlying cause, for logs only.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Detail, e.Err)
	}
	return e.Code + ": " + e.Detail
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an Error of the given kind and code.
func New(kind Kind, code, detail string) *Error {
	return &Error{Kind: kind, Code: code, Detail: detail}
}

// Wrap returns an Error that keeps cause for logs.
func Wrap(kind Kind, code, detail string, cause error) *Error {
	return &Error{Kind: kind, Code: code, Detail: detail, Err: cause}
}

// As extracts an *Error from err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns err's stable code, or "internal" for anything else.
func CodeOf(err error) string {
	if e, ok := As(err); ok {
		return e.Code
	}
	return "internal"
}
