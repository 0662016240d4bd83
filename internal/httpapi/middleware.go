package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/docentchat/docent/internal/errs"
)

type ctxKey int

const requestIDKey ctxKey = iota

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// statusRecorder remembers the status for the access log and still lets
// streaming handlers flush and set write deadlines (via Unwrap).
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe is the outermost middleware: request id, panic recovery, security
// headers, refusal of tokens in URLs, and one access-log line per request.
// The log carries the route pattern and never the query string, so no secret
// that slipped into a URL reaches the logs.
func (a *API) observe(pattern string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		r = r.WithContext(ctx)
		rec := &statusRecorder{ResponseWriter: w}
		h := w.Header()
		h.Set("X-Request-Id", id)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if strings.HasPrefix(a.opts.BaseURL, "https://") {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		logger := a.opts.Logger.With(slog.String("request_id", id), slog.String("route", pattern))
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				logger.LogAttrs(ctx, slog.LevelError, "panic", slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
				if rec.status == 0 {
					writeError(rec, r, logger, errs.New(errs.Internal, "internal", "panic"))
				}
			}
			level := slog.LevelInfo
			if pattern == "GET /healthz" || pattern == "GET /readyz" || pattern == "GET /metrics" {
				level = slog.LevelDebug
			}
			logger.LogAttrs(ctx, level, "request", slog.String("method", r.Method), slog.Int("status", rec.status),
				slog.Int64("bytes", rec.bytes), slog.Duration("duration", time.Since(start)))
			a.opts.Metrics.Request(pattern, rec.status, time.Since(start))
		}()
		if name := tokenInQuery(r); name != "" {
			writeError(rec, r, logger, errs.New(errs.Invalid, "token_in_url", "credentials must never be sent in a URL (found "+name+"); send them in the request body or Authorization header"))
			return
		}
		next.ServeHTTP(rec, r)
	})
}

// tokenParams are query parameters that would carry a credential.
var tokenParams = []string{"identity_token", "assertion", "token", "jwt", "session_id", "access_token", "id_token", "appsecret", "app_secret", "secret"}

// tokenInQuery returns the name of a credential-like query parameter, if any.
// The WebSocket compat path carries its session in thread_id by contract and is
// exempt there.
func tokenInQuery(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	for name := range r.URL.Query() {
		lower := strings.ToLower(name)
		for _, t := range tokenParams {
			if lower == t {
				return t
			}
		}
	}
	return ""
}

// adapt turns a handlerFunc into an http.Handler that writes returned errors.
func (a *API) adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			writeError(w, r, a.opts.Logger.With(slog.String("request_id", requestID(r.Context()))), err)
		}
	})
}
