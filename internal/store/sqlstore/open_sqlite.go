package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/docentchat/docent/internal/store"
)

// OpenSQLite opens (creating if needed) the SQLite database at path and
// applies pending migrations. The file and its -wal/-shm companions are kept
// at mode 0600: they hold transcripts and personal data (SECURITY ST-06).
func OpenSQLite(ctx context.Context, path string, logger *slog.Logger, opts ...Option) (*Store, error) {
	o := buildOptions(opts)
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") || path == ":memory:" {
		return nil, fmt.Errorf("sqlstore: invalid SQLite path %q: want a plain file path", path)
	}
	if err := secureDatabaseFiles(path); err != nil {
		return nil, err
	}
	write, err := sql.Open("sqlite", sqliteWriterDSN(path, o.busyTimeout))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open SQLite: %w", err)
	}
	// One writer: SQLite allows one write transaction at a time anyway.
	write.SetMaxOpenConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// Open the writer's connection first: it switches the file to WAL, which
	// the readers rely on to never block behind a write.
	if err := pingWriter(ctx, write, o.busyTimeout); err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("sqlstore: open SQLite %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", sqliteReaderDSN(path, o.busyTimeout))
	if err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("sqlstore: open SQLite: %w", err)
	}
	read.SetMaxOpenConns(o.readConns)
	read.SetMaxIdleConns(o.readConns)
	s, err := newStore(ctx, sqliteDialect, sqliteQueries, write, read, logger, o)
	if err != nil {
		return nil, err
	}
	// The migration wrote through the WAL, so -wal and -shm exist now; SQLite
	// creates them with the database file's mode, this re-checks it.
	if err := secureDatabaseFiles(path); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// pingWriter opens the writer's first connection. Processes opening a new
// database at once race to switch it to WAL, and SQLite answers the losers
// SQLITE_BUSY at once, without waiting in its busy handler (a deadlock
// guard); so a busy open is tried again, within the busy timeout.
func pingWriter(ctx context.Context, write *sql.DB, busy time.Duration) error {
	deadline := time.Now().Add(busy)
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := write.PingContext(ctx)
		if err == nil || !errors.Is(translateSQLiteError(err), store.ErrBusy) || time.Now().Add(wait).After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

var sqliteDialect = dialect{
	name:          "sqlite",
	migrationsDir: "migrations/sqlite",
	timeValue:     func(t time.Time) any { return t.UnixMicro() },
	translate:     translateSQLiteError,
}

// sqliteWriterDSN configures the writer connection. busy_timeout comes first
// so that the pragmas after it (journal_mode needs a lock) wait instead of
// failing. synchronous=FULL syncs the WAL on every commit: a message we
// acknowledged survives an OS crash or power loss, not only a process crash
// (NORMAL may lose the last commits then; see SECURITY §4 and PERFORMANCE
// G12 for the measured cost). _txlock=immediate makes every transaction take
// the write lock at BEGIN, so a read-then-write transaction cannot fail
// halfway with SQLITE_BUSY_SNAPSHOT (SECURITY §0.1 item 8).
func sqliteWriterDSN(path string, busy time.Duration) string {
	v := url.Values{}
	v.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "synchronous(FULL)")
	v.Add("_pragma", "foreign_keys(1)")
	// Truncate the WAL back to 64 MiB after checkpoints so that a long reader
	// cannot leave it large for good (SECURITY R-04).
	v.Add("_pragma", "journal_size_limit(67108864)")
	v.Add("_txlock", "immediate")
	return path + "?" + encodeOrdered(v, "_pragma", "_txlock")
}

// sqliteReaderDSN configures the read pool: query-only connections, so a bug
// cannot write around the single writer, with deferred transactions.
func sqliteReaderDSN(path string, busy time.Duration) string {
	v := url.Values{}
	v.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	v.Add("_pragma", "foreign_keys(1)")
	v.Add("_txlock", "deferred")
	v.Add("_query_only", "1")
	return path + "?" + encodeOrdered(v, "_pragma", "_txlock", "_query_only")
}

// encodeOrdered encodes v keeping the order of keys and of values as added
// (url.Values.Encode sorts keys), so the DSN reads in the order it applies.
func encodeOrdered(v url.Values, keys ...string) string {
	var parts []string
	for _, k := range keys {
		for _, val := range v[k] {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(val))
		}
	}
	return strings.Join(parts, "&")
}

// secureDatabaseFiles creates the database file with mode 0600 before SQLite
// opens it (SQLite would use 0644 minus umask) and tightens the file and its
// -wal/-shm companions if an earlier run or an operator left them wider.
func secureDatabaseFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlstore: create SQLite file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("sqlstore: create SQLite file: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("sqlstore: inspect %s: %w", p, err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, 0o600); err != nil {
				return fmt.Errorf("sqlstore: restrict %s to 0600: %w", p, err)
			}
		}
	}
	return nil
}

// translateSQLiteError maps SQLite result codes to store errors.
func translateSQLiteError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	code := se.Code()
	switch {
	case code&0xff == sqlite3.SQLITE_BUSY:
		// Only after busy_timeout ran out (or a snapshot conflict, which
		// immediate transactions avoid): the caller may retry later.
		return store.ErrBusy
	case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE, code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return store.ErrConflict
	case code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		// A reference to a row that does not exist.
		return store.ErrNotFound
	}
	return nil
}
