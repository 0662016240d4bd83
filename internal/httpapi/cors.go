package httpapi

import (
	"net/http"
	"slices"

	"github.com/docentchat/docent/internal/origin"
)

// cors answers browsers on other origins. Only an allowed origin is echoed,
// always with Vary: Origin; there is never a wildcard and never credentials
// (the API takes its session from the body or an Authorization header, not
// cookies). Requests from Docent's own origin (the frame) need no headers.
func (a *API) cors(next http.Handler) http.Handler {
	self := origin.Of(a.opts.BaseURL)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		raw := r.Header.Get("Origin")
		if raw == "" {
			next.ServeHTTP(w, r)
			return
		}
		o, err := origin.Parse(raw)
		if err == nil && o != self && a.originAllowed(r, o) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", o)
			h.Set("Access-Control-Expose-Headers", "Retry-After, X-Request-Id")
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Methods", "GET, POST")
				h.Set("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, Last-Event-ID")
				h.Set("Access-Control-Max-Age", "600")
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (a *API) originAllowed(r *http.Request, o string) bool {
	return slices.Contains(a.opts.CORSOrigins, o) || a.opts.Widget.OriginAllowed(r.Context(), o)
}

// crossOrigin returns the canonical Origin of a browser request from another
// site than Docent itself (and not one of the operator's --cors-origins),
// or "" for Docent's own frame, servers, and unparseable values (which CORS
// already refuses to answer).
func (a *API) crossOrigin(r *http.Request) string {
	o, err := origin.Parse(r.Header.Get("Origin"))
	if err != nil || o == origin.Of(a.opts.BaseURL) || slices.Contains(a.opts.CORSOrigins, o) {
		return ""
	}
	return o
}

// preflight ends an OPTIONS request; cors has already set what is allowed.
func (a *API) preflight(w http.ResponseWriter, r *http.Request) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}
