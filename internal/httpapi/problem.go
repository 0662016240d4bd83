package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/docentchat/docent/internal/errs"
)

// handlerFunc is the shape of every handler: errors are returned, never
// written ad hoc, so that one adapter turns them into problem+json.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// problem is an RFC 9457 body with Docent's stable code.
type problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Code      string `json:"code"`
	Detail    string `json:"detail,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

var statusOf = map[errs.Kind]int{
	errs.Internal:         http.StatusInternalServerError,
	errs.Invalid:          http.StatusBadRequest,
	errs.Unauthorized:     http.StatusUnauthorized,
	errs.Forbidden:        http.StatusForbidden,
	errs.NotFound:         http.StatusNotFound,
	errs.Conflict:         http.StatusConflict,
	errs.TooLarge:         http.StatusRequestEntityTooLarge,
	errs.RateLimited:      http.StatusTooManyRequests,
	errs.Unavailable:      http.StatusServiceUnavailable,
	errs.UnsupportedMedia: http.StatusUnsupportedMediaType,
}

// writeError writes err as problem+json. Unknown errors become a 500 whose
// detail is never leaked; they are logged with the request id.
func writeError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	e, ok := errs.As(err)
	if !ok {
		e = errs.Wrap(errs.Internal, "internal", "", err)
	}
	status := statusOf[e.Kind]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Code: e.Code, Detail: e.Detail,
		RequestID: requestID(r.Context())}
	if e.Kind == errs.Internal {
		p.Code, p.Detail = "internal", "an internal error occurred; it has been logged"
		logger.LogAttrs(r.Context(), slog.LevelError, "internal error", slog.String("error", err.Error()))
	} else if e.Err != nil {
		logger.LogAttrs(r.Context(), slog.LevelDebug, "request refused", slog.String("code", e.Code), slog.String("error", e.Err.Error()))
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(e.RetryAfter.Seconds()))))
	}
	writeProblem(w, p)
}

func writeProblem(w http.ResponseWriter, p problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON writes v as a 200 JSON response that is never cached.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// maxBodyBytes caps every JSON request body.
const maxBodyBytes = 64 << 10

// decodeJSON reads one JSON object strictly: a JSON content type, a size cap,
// no unknown fields, nothing after the object.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSONContentType(ct) {
		return &errs.Error{Kind: errs.UnsupportedMedia, Code: "unsupported_media_type", Detail: "send the body as application/json"}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errs.New(errs.TooLarge, "payload_too_large", "the request body is larger than the limit")
		}
		return errs.Wrap(errs.Invalid, "bad_request", "could not read the request body", err)
	}
	if !utf8.Valid(data) {
		return errs.New(errs.Invalid, "bad_request", "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber() // untyped numbers (persona user_id) keep every digit
	if err := dec.Decode(v); err != nil {
		return errs.Wrap(errs.Invalid, "bad_request", "the body must be one JSON object with known fields: "+jsonErrorHint(err), err)
	}
	if dec.More() {
		return errs.New(errs.Invalid, "bad_request", "the body must hold exactly one JSON object")
	}
	return nil
}

func isJSONContentType(ct string) bool {
	for i := 0; i < len(ct); i++ {
		if ct[i] == ';' {
			ct = ct[:i]
			break
		}
	}
	return ct == "application/json" || ct == "text/plain" // text/plain: simple CORS requests from integrations
}

func jsonErrorHint(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return "malformed JSON"
	case errors.As(err, &typ):
		return "field " + strconv.Quote(typ.Field) + " has the wrong type"
	}
	msg := err.Error()
	if len(msg) > 80 {
		msg = msg[:80]
	}
	return msg
}
