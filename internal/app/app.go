// Package app is Docent's composition root: it opens the store, builds the
// knowledge index, the providers, the chat engine, the widget server and the
// HTTP API, seeds the demo, and runs the server until the context ends, then
// drains in-flight streams and shuts down within a bound.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/docentchat/docent"
	"github.com/docentchat/docent/internal/assistant"
	"github.com/docentchat/docent/internal/assistant/extractive"
	"github.com/docentchat/docent/internal/channels"
	"github.com/docentchat/docent/internal/chat"
	"github.com/docentchat/docent/internal/config"
	"github.com/docentchat/docent/internal/httpapi"
	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/knowledge"
	"github.com/docentchat/docent/internal/metrics"
	"github.com/docentchat/docent/internal/store"
	"github.com/docentchat/docent/internal/store/sqlstore"
	"github.com/docentchat/docent/internal/widget"
	"github.com/docentchat/docent/web"
)

// App is a built Docent server, ready to Run.
type App struct {
	cfg      config.Config
	logger   *slog.Logger
	store    *sqlstore.Store
	registry *prometheus.Registry
	handler  http.Handler
	drain    context.CancelFunc
	channels *channels.Service
	live     *liveness
}

// OpenStore opens the configured database (PostgreSQL or SQLite in the data
// dir), applying migrations.
func OpenStore(ctx context.Context, cfg config.Config, logger *slog.Logger) (*sqlstore.Store, error) {
	if cfg.DatabaseURL != "" {
		return sqlstore.OpenPostgres(ctx, cfg.DatabaseURL, logger)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return sqlstore.OpenSQLite(ctx, filepath.Join(cfg.DataDir, "docent.db"), logger)
}

// New builds every part of the server. It names this instance and sweeps
// replies left streaming by stopped ones (liveness.go), rebuilds the search
// index from the store and seeds the demo.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger) (*App, error) {
	st, err := OpenStore(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	a := &App{cfg: cfg, logger: logger, store: st}
	a.live = newLiveness(st, id.String(), cfg.DatabaseURL == "", logger)
	if err := a.build(ctx); err != nil {
		_ = st.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) build(ctx context.Context) error {
	if err := a.live.start(ctx); err != nil {
		return err
	}
	index := knowledge.NewIndex()
	if err := index.Load(ctx, a.store); err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	demoKey := ""
	if a.cfg.Demo {
		ingester := knowledge.NewIngester(a.store, index, a.logger)
		if err := SeedDemo(ctx, a.store, ingester, a.logger); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		demoKey = DemoChannelKey
	}

	a.registry = prometheus.NewRegistry()
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := metrics.New(a.registry)

	keyring, err := OpenKeyring(a.cfg)
	if err != nil {
		return fmt.Errorf("secret key: %w", err)
	}
	chans := channels.New(a.store, keyring)
	a.channels = chans
	engine := chat.New(chat.Options{Store: a.store, Retriever: index, Logger: a.logger, Metrics: m, BaseURL: a.cfg.BaseURL, Keys: chans, Instance: a.live.id,
		Providers: map[string]assistant.Provider{"extractive": extractive.New(extractive.Options{Pace: a.cfg.AnswerPace})}})
	wsrv, err := widget.New(widget.Options{Store: a.store, Agents: a.store, Assets: web.Dist(), Docs: docent.Docs,
		BaseURL: a.cfg.BaseURL, DemoKey: demoKey, Logger: a.logger})
	if err != nil {
		return fmt.Errorf("widget assets: %w", err)
	}
	drainCtx, drain := context.WithCancel(context.Background())
	a.drain = drain
	var metricsHandler http.Handler
	if a.cfg.MetricsAddr == "" {
		metricsHandler = a.metricsHandler()
	}
	a.handler = httpapi.New(httpapi.Options{Engine: engine, Tokens: chans, Widget: wsrv, DB: a.store, Logger: a.logger, Metrics: m,
		MetricsHandler: metricsHandler, BaseURL: a.cfg.BaseURL, CORSOrigins: a.cfg.CORSOrigins, Drain: drainCtx, Heartbeat: a.cfg.SSEHeartbeat})
	return nil
}

func (a *App) metricsHandler() http.Handler {
	return promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{})
}

// Handler is the public HTTP handler (used by tests).
func (a *App) Handler() http.Handler { return a.handler }

// Drain tells in-flight streams to end (used by tests and by Run).
func (a *App) Drain() { a.drain() }

// Close releases the store.
func (a *App) Close() error { return a.store.Close() }

// Run serves on the configured address until ctx ends, then drains. ready,
// if not nil, receives the bound address once listening.
func (a *App) Run(ctx context.Context, ready func(addr net.Addr)) error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return err
	}
	return a.Serve(ctx, ln, ready)
}

// Serve is Run on a listener the caller has bound.
func (a *App) Serve(ctx context.Context, ln net.Listener, ready func(addr net.Addr)) error {
	srv := newHTTPServer(a.handler, a.logger)
	srv.RegisterOnShutdown(a.drain)
	// Heartbeats go on while streams drain (until Serve returns), so no other
	// instance takes a draining reply for a stopped one's.
	liveCtx, stopLive := context.WithCancel(context.WithoutCancel(ctx))
	liveDone := make(chan struct{})
	go func() {
		defer close(liveDone)
		a.live.run(liveCtx)
	}()
	defer func() {
		stopLive()
		<-liveDone
	}()
	servers := []*http.Server{srv}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if a.cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.cfg.MetricsAddr)
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("metrics listener: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.metricsHandler())
		msrv := newHTTPServer(mux, a.logger)
		servers = append(servers, msrv)
		go func() { errc <- msrv.Serve(mln) }()
	}
	if ready != nil {
		ready(ln.Addr())
	}
	select {
	case err := <-errc:
		a.drain()
		return err
	case <-ctx.Done():
	}
	a.logger.Info("shutting down: draining streams", "timeout", a.cfg.ShutdownTimeout)
	a.drain()
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	var errsOut []error
	for _, s := range servers {
		if err := s.Shutdown(sctx); err != nil {
			errsOut = append(errsOut, err)
			_ = s.Close()
		}
	}
	return errors.Join(errsOut...)
}

// newHTTPServer sets the timeouts that keep slow or idle clients from holding
// resources. There is no WriteTimeout: streams set a deadline per write.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// BaseURL is the public URL the server believes it has.
func (a *App) BaseURL() string { return a.cfg.BaseURL }

// OpenKeyring loads the key that protects channel signing secrets at rest:
// DOCENT_SECRET_KEY when set, else data-dir/secret.key (created on first use).
func OpenKeyring(cfg config.Config) (*identity.Keyring, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return identity.LoadKeyring(cfg.DataDir, cfg.SecretKey)
}

// Store is the server's store (for tests and tools in the same process).
func (a *App) Store() store.Store { return a.store }

// Channels is the channel administration service.
func (a *App) Channels() *channels.Service { return a.channels }
