package widget

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/store"
)

// frameTemplate is the frame document. frame.js is async: the parser
// finishes (and DOMContentLoaded passes) while the bundle downloads instead
// of after it runs, which brings the page's handshake answer forward (G4).
// Everything the script needs (#docent-app, #docent-config) comes before it.
var frameTemplate = template.Must(template.New("frame").Parse(`<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}}</title>
<link rel="stylesheet" href="/static/widget/frame.css?v={{.CSSHash}}">
</head>
<body><div id="docent-app" data-key="{{.Key}}"></div>
<script type="application/json" id="docent-config">{{.Config}}</script>
<script async src="/static/widget/frame.js?v={{.JSHash}}"></script></body></html>
`))

// FrameCSP returns the Content-Security-Policy of a channel's frame. The
// frame may only be embedded by the channel's allowed origins; a channel with
// none is embeddable anywhere only when it is public without identity, and
// nowhere otherwise (fail closed).
func FrameCSP(c store.ChannelConfig) string {
	ancestors := "'none'"
	switch {
	case len(c.AllowedOrigins) > 0:
		ancestors = strings.Join(c.AllowedOrigins, " ")
	case c.EmbeddableAnywhere():
		ancestors = "*"
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"font-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors " + ancestors
}

// Frame serves the chat UI document of a channel (GET /widget/{key}/frame).
func (s *Server) Frame(w http.ResponseWriter, r *http.Request) error {
	ch, err := s.published(r)
	if err != nil {
		return err
	}
	cfg := ch.Published.Config
	lang := cfg.Language
	if lang == "" {
		lang = "en"
	}
	dir := "ltr"
	if lang == "ar" {
		dir = "rtl"
	}
	h := w.Header()
	h.Set("Content-Security-Policy", FrameCSP(cfg))
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	// The public config rides along (never executed: type application/json),
	// which spares the frame the config.json round trip before it can
	// acknowledge a handshake.
	public := BuildPublicConfig(ch.Key, *ch.Published, s.suggestedQuestions(r, ch))
	return frameTemplate.Execute(w, map[string]any{"Lang": lang, "Dir": dir, "Title": titleOf(cfg), "Key": ch.Key,
		"CSSHash": s.hashes["frame.css"], "JSHash": s.hashes["frame.js"], "Config": public})
}

func (s *Server) published(r *http.Request) (store.Channel, error) {
	key := r.PathValue("key")
	ch, err := s.opts.Store.Channel(r.Context(), key)
	if errors.Is(err, store.ErrNotFound) || (err == nil && ch.Published == nil) {
		return ch, errs.New(errs.NotFound, "channel_not_found", "no published channel with this key")
	}
	if err != nil {
		return ch, errs.Wrap(errs.Internal, "internal", "", err)
	}
	return ch, nil
}

func titleOf(c store.ChannelConfig) string {
	if c.Title != "" {
		return c.Title
	}
	return "Chat"
}
