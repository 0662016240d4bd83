package widget

import (
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/docentchat/docent/internal/errs"
)

var demoTemplate = template.Must(template.New("demo").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Docent demo</title>
</head>
<body class="docent-demo">
<main class="docent-demo-page">
<h1>Docent is running</h1>
<p>This page is a host page like yours. The chat bubble in the corner is the Docent widget,
embedded with one line. Open it and ask, for example:
<em>How do I embed the widget on my site?</em> It answers from Docent's own documentation, with citations.</p>
{{if .Key}}<h2>Embed it on your site</h2>
<pre><code>&lt;script async src="{{.BaseURL}}/widget.js?key={{.Key}}"&gt;&lt;/script&gt;</code></pre>
{{else}}<p>The demo channel is disabled (<code>--demo=false</code>).</p>{{end}}
<p>Documentation: <a href="/docs/README.md">README</a>{{range .Docs}} · <a href="/docs/{{.}}">{{.}}</a>{{end}}</p>
</main>
{{if .Key}}<script async src="/widget.js?key={{.Key}}"></script>{{end}}
</body></html>
`))

// Demo serves the demo host page at GET /: a page that embeds the demo
// channel with the one-line snippet, exactly as a site owner would.
func (s *Server) Demo(w http.ResponseWriter, r *http.Request) error {
	var docs []string
	if s.opts.Docs != nil {
		entries, _ := fs.ReadDir(s.opts.Docs, "docs")
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".md") {
				docs = append(docs, e.Name())
			}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'")
	return demoTemplate.Execute(w, map[string]any{"Key": s.opts.DemoKey, "BaseURL": s.opts.BaseURL, "Docs": docs})
}

// DocURL is where Docs serves an embedded documentation file: /docs/README.md
// for the README, /docs/NAME.md for docs/NAME.md.
func DocURL(path string) string { return "/docs/" + strings.TrimPrefix(path, "docs/") }

// Docs serves Docent's own documentation as plain text (GET /docs/{path...}),
// so that the demo's citations are links a visitor can follow.
func (s *Server) Docs(w http.ResponseWriter, r *http.Request) error {
	p := path.Clean(r.PathValue("path"))
	if s.opts.Docs == nil || !strings.HasSuffix(p, ".md") || strings.HasPrefix(p, "..") || strings.HasPrefix(p, "/") {
		return errs.New(errs.NotFound, "not_found", "no such document")
	}
	if p != "README.md" {
		p = "docs/" + p
	}
	data, err := fs.ReadFile(s.opts.Docs, p)
	if err != nil {
		return errs.New(errs.NotFound, "not_found", "no such document")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = w.Write(data)
	return err
}
