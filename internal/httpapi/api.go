// Package httpapi owns Docent's HTTP edge: the one route table, request
// decoding (strict JSON, size caps), CORS, problem+json errors, the SSE stream
// writer, and the mapping from domain results to the wire shapes of
// PROTOCOL.md. Handlers hold no business logic: they call the chat engine and
// the widget server.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/docentchat/docent/internal/chat"
)

// Metrics receives per-request observations.
type Metrics interface {
	Request(route string, status int, d time.Duration)
	StreamOpened()
	StreamClosed()
	// Widget frame telemetry (POST /widget/telemetry).
	WidgetHandshake(d time.Duration)
	WidgetConfigRefused(reason string, n int)
}

// Widget serves the loader, the frame and public channel config.
type Widget interface {
	Loader(w http.ResponseWriter, r *http.Request) error
	Frame(w http.ResponseWriter, r *http.Request) error
	Config(w http.ResponseWriter, r *http.Request) error
	Asset(w http.ResponseWriter, r *http.Request) error
	Demo(w http.ResponseWriter, r *http.Request) error
	Docs(w http.ResponseWriter, r *http.Request) error
	// OriginAllowed reports whether a browser origin may call the widget API
	// of some published channel (CORS).
	OriginAllowed(ctx context.Context, origin string) bool
}

// Pinger checks the database for readiness.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Options build an API.
type Options struct {
	Engine  *chat.Engine
	Tokens  TokenIssuer
	Widget  Widget
	DB      Pinger
	Logger  *slog.Logger
	Metrics Metrics
	// MetricsHandler serves /metrics on the public listener; nil when metrics
	// have their own listener.
	MetricsHandler http.Handler
	BaseURL        string
	// CORSOrigins are allowed on every channel in addition to channel origins.
	CORSOrigins []string
	// Drain is cancelled when the server starts shutting down: streams end
	// cleanly and readiness turns false.
	Drain context.Context
	// Heartbeat is the SSE comment interval (at most 15 s).
	Heartbeat time.Duration
}

// API is the HTTP handler of a Docent server.
type API struct {
	opts    Options
	handler http.Handler
	limits  limits
}

// New builds the API and its route table.
func New(opts Options) *API {
	if opts.Heartbeat <= 0 || opts.Heartbeat > 15*time.Second {
		opts.Heartbeat = 15 * time.Second
	}
	if opts.Drain == nil {
		opts.Drain = context.Background()
	}
	a := &API{opts: opts, limits: newLimits()}
	mux := http.NewServeMux()
	for _, rt := range a.routes() {
		h := rt.handler
		if rt.cors {
			h = a.cors(h)
		}
		mux.Handle(rt.pattern, a.observe(rt.pattern, h))
	}
	// Anything unmatched gets a problem+json 404 (or 405 from the mux's own logic).
	mux.Handle("/", a.observe("unmatched", a.adapt(func(w http.ResponseWriter, r *http.Request) error {
		return notFound
	})))
	a.handler = mux
	return a
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }
