package httpapi

import (
	"context"
	"net"
	"net/http"
	"time"

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
	ip := "ip:" + clientIP(r)
	limited := &errs.Error{Kind: errs.RateLimited, Code: "rate_limited", Detail: "too many failed attempts; try again later", RetryAfter: time.Minute}
	if !a.limits.exchangeFailures.Begin(ip) {
		return limited
	}
	var req exchangeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		a.limits.exchangeFailures.End(ip, false)
		return err
	}
	app := "app:" + req.AppID
	if !a.limits.exchangeFailures.Begin(app) {
		a.limits.exchangeFailures.End(ip, false)
		return limited
	}
	token, exp, err := a.opts.Tokens.IssueExchangeToken(r.Context(), req.AppID, req.AppSecret, req.EndUserID)
	failed := errs.CodeOf(err) == "invalid_client"
	a.limits.exchangeFailures.End(ip, failed)
	a.limits.exchangeFailures.End(app, failed)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"token": token, "expiresAt": exp.UTC().Format(time.RFC3339)})
}

// clientIP is the socket peer: forwarded headers are not trusted (SECURITY AB-05).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
