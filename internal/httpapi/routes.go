package httpapi

import (
	"net/http"

	"github.com/docentchat/docent/internal/errs"
)

// route is one line of the route table.
type route struct {
	pattern string       // method and path, as net/http.ServeMux reads them
	handler http.Handler // already adapted
	cors    bool         // browser integrations on other origins may call it
}

var notFound = errs.New(errs.NotFound, "not_found", "no such resource")

// routes is every route Docent serves, readable at a glance.
func (a *API) routes() []route {
	w := a.opts.Widget
	rs := []route{
		// Operations.
		{"GET /healthz", a.adapt(a.healthz), false},
		{"GET /readyz", a.adapt(a.readyz), false},

		// Embedding: the loader, the frame document and its assets, public config.
		{"GET /widget.js", a.adapt(w.Loader), false},
		{"GET /widget/{key}/frame", a.adapt(w.Frame), false},
		{"GET /widget/{key}/config.json", a.adapt(w.Config), false},
		{"GET /static/widget/{name}", a.adapt(w.Asset), false},

		// Chat API (PROTOCOL §5).
		{"POST /widget/session/init", a.adapt(a.sessionInit), true},
		{"POST /widget/session/new", a.adapt(a.sessionNew), true},
		{"POST /widget/session/close", a.adapt(a.sessionClose), true},
		{"POST /widget/session/logout", a.adapt(a.sessionLogout), true},
		{"GET /widget/session/messages", a.adapt(a.sessionMessages), true},
		{"POST /widget/chat", a.adapt(a.chat), true},
		{"OPTIONS /widget/", a.adapt(a.preflight), true},
		// Frame telemetry (handshake latency, refused configs): same-origin only.
		{"POST /widget/telemetry", a.adapt(a.telemetry), false},

		// Server-to-server token exchange (PROTOCOL §6.4): no CORS, ever.
		{"POST /api/v1/auth/token", a.adapt(a.tokenExchange), false},

		// The demo host page and Docent's own documentation (demo citations link here).
		{"GET /{$}", a.adapt(w.Demo), false},
		{"GET /docs/{path...}", a.adapt(w.Docs), false},
	}
	if a.opts.MetricsHandler != nil {
		rs = append(rs, route{"GET /metrics", a.opts.MetricsHandler, false})
	}
	return rs
}
