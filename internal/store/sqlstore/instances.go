package sqlstore

// Instances: the running Docent processes sharing this database, their
// heartbeats, and the sweep of replies that stopped ones left streaming.

import (
	"context"
	"time"
)

// InterruptStreaming marks interrupted every reply left streaming by an
// instance with no heartbeat at or after staleBefore, with Error
// InterruptedByRestart unless it already had one, then forgets instances
// silent for a day (their replies, if any were left, are swept with them).
func (s *Store) InterruptStreaming(ctx context.Context, at, staleBefore time.Time) (int, error) {
	res, err := s.write.ExecContext(ctx, s.q.interruptStreaming, InterruptedByRestart, s.ts(s.at(at)), s.ts(staleBefore))
	if err != nil {
		return 0, s.wrap(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.wrap(err)
	}
	if _, err := s.write.ExecContext(ctx, s.q.pruneInstances, s.ts(staleBefore.Add(-24*time.Hour))); err != nil {
		return int(n), s.wrap(err)
	}
	return int(n), nil
}

// Clock reads the database server's clock where instances share one
// (PostgreSQL), else the store's.
func (s *Store) Clock(ctx context.Context) (time.Time, error) {
	if s.q.clock == "" {
		return s.now(), nil
	}
	var t time.Time
	if err := s.read.QueryRowContext(ctx, s.q.clock).Scan(&t); err != nil {
		return time.Time{}, s.wrap(err)
	}
	return dbTime(t), nil
}

// Heartbeat records that instance is alive at at.
func (s *Store) Heartbeat(ctx context.Context, instance string, at time.Time) error {
	_, err := s.write.ExecContext(ctx, s.q.heartbeat, instance, s.ts(s.at(at)))
	return s.wrap(err)
}
