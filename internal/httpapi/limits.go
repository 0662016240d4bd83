package httpapi

import (
	"net/http"
	"time"

	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/ratelimit"
)

// limits are the per-IP abuse limits of the public endpoints. They count
// outcomes, not requests: a visitor resuming a conversation or chatting is
// never throttled by them.
type limits struct {
	// newSessions: sessions (and so identities) created per IP — SECURITY
	// DU-05: one address cannot mint thousands of direct ids or guests.
	newSessions *ratelimit.Keyed
	// badSessions: unknown or revoked session_ids presented per IP — AS-04:
	// guessing session ids is slowed to a crawl.
	badSessions *ratelimit.Keyed
	// exchangeFailures: failed token exchanges per IP and per app id — TX-02.
	exchangeFailures *ratelimit.Keyed
	// telemetry: frame reports per IP (a frame sends a handful per load).
	telemetry *ratelimit.Keyed
}

func newLimits() limits {
	return limits{
		newSessions:      ratelimit.New(10*time.Second, 60),
		badSessions:      ratelimit.New(2*time.Second, 30),
		exchangeFailures: ratelimit.New(time.Minute, 10),
		telemetry:        ratelimit.New(time.Second, 30),
	}
}

func rateLimited(l *ratelimit.Keyed, key string) error {
	return &errs.Error{Kind: errs.RateLimited, Code: "rate_limited", Detail: "too many requests from this address; try again later",
		RetryAfter: l.RetryAfter(key)}
}

// guardSession refuses callers who have presented too many invalid sessions,
// and counts err when it is one.
func (a *API) guardSession(r *http.Request, call func() error) error {
	ip := clientIP(r)
	if !a.limits.badSessions.Begin(ip) {
		return rateLimited(a.limits.badSessions, ip)
	}
	err := call()
	a.limits.badSessions.End(ip, errs.CodeOf(err) == "session_invalid")
	return err
}
