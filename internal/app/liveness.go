package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Liveness of instances. Every Docent process names itself and beats a
// heartbeat into the store, and each reply it streams carries its name. A
// process that stops without finishing its replies (a crash, a kill) leaves
// them in status streaming, and their sessions refuse new messages until a
// sweep marks them interrupted: at startup, and every sweepEvery while
// serving, an instance sweeps the replies of instances silent for
// instanceTTL, never those of a live instance sharing the database. Times
// come from the database's clock (store.Clock), so hosts' clocks need not
// agree. On SQLite, one process per database, the startup sweep takes every
// reply an earlier process left, at once.
const (
	heartbeatEvery = 10 * time.Second
	sweepEvery     = 30 * time.Second
	instanceTTL    = 3 * heartbeatEvery
)

// instanceStore is what liveness needs of the store.
type instanceStore interface {
	Clock(ctx context.Context) (time.Time, error)
	Heartbeat(ctx context.Context, instance string, at time.Time) error
	InterruptStreaming(ctx context.Context, at, staleBefore time.Time) (int, error)
}

type liveness struct {
	store  instanceStore
	id     string
	single bool // no other instance can be live (SQLite)
	logger *slog.Logger
	beat   time.Duration
	sweep  time.Duration
	ttl    time.Duration
}

func newLiveness(st instanceStore, id string, single bool, logger *slog.Logger) *liveness {
	return &liveness{store: st, id: id, single: single, logger: logger, beat: heartbeatEvery, sweep: sweepEvery, ttl: instanceTTL}
}

// start announces this instance and sweeps what stopped ones left.
func (l *liveness) start(ctx context.Context) error {
	return l.at(ctx, func(now time.Time) error {
		if err := l.store.Heartbeat(ctx, l.id, now); err != nil {
			return fmt.Errorf("instance heartbeat: %w", err)
		}
		if l.single {
			return l.sweepOnce(ctx, now, now)
		}
		return l.sweepOnce(ctx, now, now.Add(-l.ttl))
	})
}

// run beats and sweeps until ctx ends. A failed beat or sweep is logged and
// tried again at the next tick: a database hiccup must not stop serving.
func (l *liveness) run(ctx context.Context) {
	beat, sweep := time.NewTicker(l.beat), time.NewTicker(l.sweep)
	defer beat.Stop()
	defer sweep.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case <-beat.C:
			err = l.at(ctx, func(now time.Time) error { return l.store.Heartbeat(ctx, l.id, now) })
		case <-sweep.C:
			err = l.at(ctx, func(now time.Time) error { return l.sweepOnce(ctx, now, now.Add(-l.ttl)) })
		}
		if err != nil && ctx.Err() == nil {
			l.logger.Warn("instance liveness", "err", err)
		}
	}
}

// at runs f at the database's current time.
func (l *liveness) at(ctx context.Context, f func(now time.Time) error) error {
	now, err := l.store.Clock(ctx)
	if err != nil {
		return fmt.Errorf("instance clock: %w", err)
	}
	return f(now)
}

func (l *liveness) sweepOnce(ctx context.Context, now, staleBefore time.Time) error {
	n, err := l.store.InterruptStreaming(ctx, now, staleBefore)
	if err != nil {
		return fmt.Errorf("sweep interrupted replies: %w", err)
	}
	if n > 0 {
		l.logger.Warn("replies left streaming by a stopped instance were marked interrupted", "count", n)
	}
	return nil
}
