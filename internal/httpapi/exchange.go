package httpapi

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/docentchat/docent/internal/errs"
)

// TokenIssuer signs exchange tokens for host backends.
type TokenIssuer interface {
	IssueExchangeToken(ctx context.Context, appID, appSecret, endUserID string) (string, time.Time, error)
}

type exchangeRequest struct {
	AppID     string `json:"appId"`
	AppSecret string `json:"appSecret"`
	EndUserID string `json:"endUserId"`
}

// tokenExchange is POST /api/v1/auth/token (PROTOCOL §6.4). It is for
// servers only: it sends no CORS headers and refuses anything a browser sent
// (an Origin header), so an app secret pasted into front-end code fails at
// once instead of working until it leaks.
func (a *API) tokenExchange(w http.ResponseWriter, r *http.Request) error {
	if r.Header.Get("Origin") != "" {
		return errs.New(errs.Forbidden, "server_to_server_only", "call the token endpoint from your backend, never from a browser")
	}
	ip := clientIP(r)
	if !a.failures.allowed("ip:" + ip) {
		return &errs.Error{Kind: errs.RateLimited, Code: "rate_limited", Detail: "too many failed attempts; try again later", RetryAfter: time.Minute}
	}
	var req exchangeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if !a.failures.allowed("app:" + req.AppID) {
		return &errs.Error{Kind: errs.RateLimited, Code: "rate_limited", Detail: "too many failed attempts; try again later", RetryAfter: time.Minute}
	}
	token, exp, err := a.opts.Tokens.IssueExchangeToken(r.Context(), req.AppID, req.AppSecret, req.EndUserID)
	if err != nil {
		if e, ok := errs.As(err); ok && e.Code == "invalid_client" {
			a.failures.fail("ip:" + ip)
			a.failures.fail("app:" + req.AppID)
		}
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"token": token, "expiresAt": exp.UTC().Format(time.RFC3339)})
}

// failureLimiter throttles repeated failures per key: a burst of 10, then one
// more attempt a minute. Keys are bounded so a flood of random ones cannot
// grow memory without limit.
type failureLimiter struct {
	mu   sync.Mutex
	keys map[string]*rate.Limiter
}

func newFailureLimiter() *failureLimiter { return &failureLimiter{keys: map[string]*rate.Limiter{}} }

func (f *failureLimiter) limiter(key string) *rate.Limiter {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.keys[key]
	if !ok {
		if len(f.keys) > 100_000 {
			f.keys = map[string]*rate.Limiter{}
		}
		l = rate.NewLimiter(rate.Every(time.Minute), 10)
		f.keys[key] = l
	}
	return l
}

func (f *failureLimiter) allowed(key string) bool { return f.limiter(key).Tokens() >= 1 }
func (f *failureLimiter) fail(key string)         { f.limiter(key).Allow() }

// clientIP is the socket peer: forwarded headers are not trusted (SECURITY AB-05).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
