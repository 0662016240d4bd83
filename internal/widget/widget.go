// Package widget owns what a host page and the widget iframe load from
// Docent: the loader script, the frame document and its assets, the public
// channel config, the demo host page and Docent's own documentation. It also
// owns the per-channel browser policy: the frame's Content-Security-Policy
// (frame-ancestors from the channel's allowed origins) and which origins may
// call the widget API.
package widget

import (
	"context"
	"io/fs"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/docentchat/docent/internal/store"
	"github.com/docentchat/docent/web"
)

// Store is what the widget server reads.
type Store interface {
	Channel(ctx context.Context, key string) (store.Channel, error)
	ListChannels(ctx context.Context) ([]store.Channel, error)
}

// AgentStore reads the agent bound to a channel (for suggested questions).
type AgentStore interface {
	Agent(ctx context.Context, id string) (store.Agent, error)
}

// Options build a Server.
type Options struct {
	Store  Store
	Agents AgentStore
	// Assets holds the built bundles: widget.js, loader-open.js, frame.js,
	// frame.css.
	Assets fs.FS
	// Docs holds Docent's own documentation (Markdown), served under /docs/.
	Docs    fs.FS
	BaseURL string
	// DemoKey is the channel the demo page embeds ("" disables the demo page).
	DemoKey string
	Logger  *slog.Logger
	// OriginCacheTTL bounds how long a removed origin may still pass CORS.
	OriginCacheTTL time.Duration
}

// Server serves the widget routes.
type Server struct {
	opts   Options
	hashes map[string]string // asset name → short content hash for cache busting
	assets map[string][]byte
	gzips  map[string][]byte // the same assets compressed at gzip level 9

	mu        sync.Mutex
	origins   []string
	originsAt time.Time
}

// New loads the assets once and returns a Server.
func New(opts Options) (*Server, error) {
	if opts.OriginCacheTTL <= 0 {
		opts.OriginCacheTTL = 30 * time.Second
	}
	s := &Server{opts: opts, hashes: map[string]string{}, assets: map[string][]byte{}, gzips: map[string][]byte{}}
	for name := range contentTypes {
		data, err := fs.ReadFile(opts.Assets, name)
		if err != nil {
			return nil, err
		}
		s.assets[name] = data
		s.gzips[name] = web.Gzip9(data)
		s.hashes[name] = web.ContentHash(data)
	}
	return s, nil
}

// OriginAllowed reports whether origin is in the allowed-origins list of some
// published channel. The union is cached briefly; see OriginCacheTTL.
func (s *Server) OriginAllowed(ctx context.Context, origin string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.originsAt) > s.opts.OriginCacheTTL {
		channels, err := s.opts.Store.ListChannels(ctx)
		if err != nil {
			return false
		}
		var all []string
		for _, ch := range channels {
			if ch.Published != nil {
				all = append(all, ch.Published.Config.AllowedOrigins...)
			}
		}
		s.origins, s.originsAt = all, time.Now()
	}
	return slices.Contains(s.origins, origin)
}
