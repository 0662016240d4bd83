// Package sqlstore owns Docent's SQL persistence: one dialect-neutral
// implementation of store.Store over database/sql, run on SQLite
// (modernc.org/sqlite, the zero-setup default) or PostgreSQL (pgx through its
// database/sql adapter, for several instances behind a load balancer). The two
// dialects differ only in their SQL text (queries_sqlite.go,
// queries_postgres.go), their embedded migrations (migrations/<dialect>), how
// a time is encoded and how driver errors map to the store's error values.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/docentchat/docent/internal/store"
)

// Store implements store.Store on SQLite or PostgreSQL.
type Store struct {
	d dialect
	q queries
	// write runs every write transaction. On SQLite it is a single connection
	// (SQLite has one writer at a time; queueing in the pool is cheaper and
	// fairer than spinning on the busy handler). On PostgreSQL it is the pool.
	write *sql.DB
	// read serves single-statement reads. On SQLite it is a separate
	// query-only pool so that readers never wait behind the writer (WAL); on
	// PostgreSQL it is the same pool as write.
	read      *sql.DB
	logger    *slog.Logger
	clock     func() time.Time
	migration MigrationReport
}

var _ store.Store = (*Store)(nil)

// dialect is what differs between databases besides SQL text.
type dialect struct {
	name          string // "sqlite" or "postgres"
	migrationsDir string
	// timeValue encodes a UTC, microsecond-truncated time as a query argument.
	timeValue func(time.Time) any
	// translate maps a driver error to a store error value, or returns nil when
	// the error has no meaning callers branch on.
	translate func(error) error
}

// Dialect reports which database the store runs on: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Ping reports whether the database is reachable (readiness).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return s.wrap(err)
	}
	if s.read != s.write {
		return s.wrap(s.read.PingContext(ctx))
	}
	return nil
}

// Close releases connections.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// now is the store clock: UTC, truncated to the microsecond that both
// dialects keep, so that what a method returns equals what a later read sees.
func (s *Store) now() time.Time { return dbTime(s.clock()) }

// at returns t in storage precision, or the store clock when t is zero.
func (s *Store) at(t time.Time) time.Time {
	if t.IsZero() {
		return s.now()
	}
	return dbTime(t)
}

// ts encodes a time as a query argument of this dialect.
func (s *Store) ts(t time.Time) any { return s.d.timeValue(dbTime(t)) }

// dbTime is the one representation of time the store round-trips: UTC with
// microsecond precision (PostgreSQL's TIMESTAMPTZ resolution).
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// inTx runs fn in one write transaction and commits it when fn succeeds. On
// SQLite the transaction starts with BEGIN IMMEDIATE (see openSQLite), so it
// holds the write lock from its first statement and never fails halfway with
// SQLITE_BUSY_SNAPSHOT.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return s.wrap(err)
	}
	return s.wrap(tx.Commit())
}

// wrap turns a driver error into one of the store's error values where one
// applies, keeping the original in the chain for logs.
func (s *Store) wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case isStoreError(err), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%w (%w)", store.ErrNotFound, err)
	}
	if mapped := s.d.translate(err); mapped != nil {
		return fmt.Errorf("%w (%w)", mapped, err)
	}
	return fmt.Errorf("sqlstore %s: %w", s.d.name, err)
}

func isStoreError(err error) bool {
	for _, target := range []error{
		store.ErrNotFound, store.ErrConflict, store.ErrIdempotencyKeyReused,
		store.ErrReplyInProgress, store.ErrBusy, store.ErrSchemaTooNew,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// expectOne turns "no row changed" into ErrNotFound for updates and deletes.
func expectOne(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: %s", store.ErrNotFound, what)
	}
	return nil
}
