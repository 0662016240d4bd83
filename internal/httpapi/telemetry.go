package httpapi

// POST /widget/telemetry: what widget frames measure about themselves and
// report to their own server (PROTOCOL §3: the handshake latency; SECURITY
// PM-01: refused configs are counted). The body carries numbers only — no
// channel, visitor, session or origin — so it can neither identify anyone
// nor grow metric cardinality; every value is bounded and the call is
// same-origin only (the frame lives on Docent's origin) and rate limited.

import (
	"math"
	"net/http"
	"slices"
	"time"

	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/origin"
)

// RefusalReasons are the reasons a frame may report a refused config for.
var RefusalReasons = []string{"origin_not_allowed", "not_parent", "stale_nonce", "bad_message", "persona_not_allowed", "invalid_user_id"}

const (
	maxHandshakeMS = 60000 // a longer "handshake" is a frame that waited for nothing
	maxRefusals    = 1000  // per reason and report: a frame batches counts
)

type telemetryRequest struct {
	HandshakeMS *float64       `json:"handshake_ms"`
	Refused     map[string]int `json:"refused"`
}

func (a *API) telemetry(w http.ResponseWriter, r *http.Request) error {
	// Only Docent's own frames report. Browsers say so themselves
	// (Sec-Fetch-Site, which pages cannot forge); otherwise the Origin, when
	// sent, must be Docent's public one.
	if site := r.Header.Get("Sec-Fetch-Site"); site != "same-origin" {
		o := r.Header.Get("Origin")
		p, err := origin.Parse(o)
		if (site != "" && site != "none") || (o != "" && (err != nil || p != origin.Of(a.opts.BaseURL))) {
			return errs.New(errs.Forbidden, "origin_not_allowed", "telemetry is accepted from Docent's own frames only")
		}
	}
	ip := clientIP(r)
	if !a.limits.telemetry.Allow(ip) {
		return rateLimited(a.limits.telemetry, ip)
	}
	var req telemetryRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	var ms float64
	if req.HandshakeMS != nil {
		f := *req.HandshakeMS
		if math.IsNaN(f) || f < 0 || f > maxHandshakeMS {
			return errs.New(errs.Invalid, "invalid_field", "handshake_ms must be a number of milliseconds between 0 and 60000")
		}
		ms = f
	}
	if len(req.Refused) > len(RefusalReasons) {
		return errs.New(errs.Invalid, "invalid_field", "refused has too many reasons")
	}
	for reason, n := range req.Refused {
		if !slices.Contains(RefusalReasons, reason) || n < 1 || n > maxRefusals {
			return errs.New(errs.Invalid, "invalid_field", "refused maps a known reason to a count between 1 and 1000")
		}
	}
	// Validated as a whole first: a bad report records nothing.
	if req.HandshakeMS != nil {
		a.opts.Metrics.WidgetHandshake(time.Duration(ms * float64(time.Millisecond)))
	}
	for reason, n := range req.Refused {
		a.opts.Metrics.WidgetConfigRefused(reason, n)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
