package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/docentchat/docent/internal/errs"
)

// healthz says the process is alive.
func (a *API) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says the server can take traffic: not draining, database reachable.
func (a *API) readyz(w http.ResponseWriter, r *http.Request) error {
	if a.opts.Drain.Err() != nil {
		return &errs.Error{Kind: errs.Unavailable, Code: "draining", Detail: "the server is shutting down", RetryAfter: time.Second}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.opts.DB.Ping(ctx); err != nil {
		return &errs.Error{Kind: errs.Unavailable, Code: "storage_unavailable", Detail: "the database is not reachable", RetryAfter: time.Second, Err: err}
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
}
