package sqlstore

import (
	"context"
	"database/sql"
	"log/slog"
	"time"
)

// Option tunes how a store is opened.
type Option func(*options)

type options struct {
	busyTimeout time.Duration
	readConns   int
	maxConns    int
	clock       func() time.Time
}

func defaultOptions() options {
	return options{
		busyTimeout: 5 * time.Second,
		readConns:   4,
		maxConns:    16,
		clock:       time.Now,
	}
}

// WithBusyTimeout sets how long a SQLite write waits for the write lock held
// by another process before failing with store.ErrBusy (default 5 s). Writers
// of this process queue in the pool instead and do not count against it.
func WithBusyTimeout(d time.Duration) Option {
	return func(o *options) { o.busyTimeout = d }
}

// WithReadConns sets the size of the SQLite read pool (default 4).
func WithReadConns(n int) Option {
	return func(o *options) { o.readConns = n }
}

// WithMaxConns sets the size of the PostgreSQL pool (default 16).
func WithMaxConns(n int) Option {
	return func(o *options) { o.maxConns = n }
}

// WithClock sets the clock used for timestamps the caller does not give
// (creation and update times). Tests use it to pin times.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.clock = now }
}

func buildOptions(opts []Option) options {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if o.readConns < 1 {
		o.readConns = 1
	}
	if o.maxConns < 2 {
		o.maxConns = 2
	}
	return o
}

// newStore migrates the database and returns the ready store. It closes the
// pools when migration fails, so that a failed Open leaks nothing.
func newStore(ctx context.Context, d dialect, q queries, write, read *sql.DB, logger *slog.Logger, o options) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{d: d, q: q, write: write, read: read, logger: logger, clock: o.clock}
	report, err := s.Migrate(ctx)
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	s.migration = report
	return s, nil
}
