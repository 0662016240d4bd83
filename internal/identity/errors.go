package identity

import "errors"

// Reasons a credential is rejected (PROTOCOL §5: identity.reason). They are
// deliberately coarse: a client learns that a token failed, not how to fix a
// forgery.
const (
	ReasonSignature = "signature"
	ReasonExpired   = "expired"
	ReasonSchema    = "schema"
	ReasonReplayed  = "replayed"
)

// Rejection is the error every verifier returns for a bad credential.
type Rejection struct {
	Reason string // one of the Reason constants
	Detail string // for logs: names claims and rules, never contains token material
}

func (r *Rejection) Error() string {
	if r.Detail == "" {
		return "identity rejected: " + r.Reason
	}
	return "identity rejected: " + r.Reason + ": " + r.Detail
}

// ReasonOf returns the coarse reason of a verification error: the Reason of
// a *Rejection, "" for nil, and ReasonSchema for any other error so that an
// unexpected failure still reads as a rejection rather than an outage.
func ReasonOf(err error) string {
	if err == nil {
		return ""
	}
	var r *Rejection
	if errors.As(err, &r) {
		return r.Reason
	}
	return ReasonSchema
}

func rejectSignature(detail string) *Rejection {
	return &Rejection{Reason: ReasonSignature, Detail: detail}
}

func rejectSchema(detail string) *Rejection {
	return &Rejection{Reason: ReasonSchema, Detail: detail}
}

func rejectExpired(detail string) *Rejection {
	return &Rejection{Reason: ReasonExpired, Detail: detail}
}
