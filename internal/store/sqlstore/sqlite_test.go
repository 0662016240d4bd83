package sqlstore

import (
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/store"
)

// ST-06: the database, WAL and shared-memory files hold transcripts and
// personal data; only the service user may read them.
func TestST06SQLiteFileModes(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, path string)
	}{
		{"new database", func(*testing.T, string) {}},
		{"existing world-readable files are tightened", func(t *testing.T, path string) {
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				if err := os.WriteFile(p, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(p, 0o644); err != nil { // umask may have narrowed it
					t.Fatal(err)
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := sqlitePath(t)
			tc.prepare(t, path)
			s := openSQLite(t, path)
			// Write so that the WAL and shared-memory files are in use.
			if _, err := s.CreateChannel(t.Context(), "docs", sampleConfigForMigration()); err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				info, err := os.Stat(p)
				if err != nil {
					t.Fatalf("stat %s: %v", p, err)
				}
				if perm := info.Mode().Perm(); perm != 0o600 {
					t.Errorf("%s mode = %o, want 600", p, perm)
				}
			}
		})
	}
}

// The connections are configured as documented: the writer with
// busy_timeout, WAL, synchronous=FULL and foreign keys; readers query-only.
func TestSQLitePragmas(t *testing.T) {
	s := openSQLite(t, sqlitePath(t), WithBusyTimeout(1234*time.Millisecond))
	tests := []struct {
		db     *sql.DB
		pragma string
		want   string
	}{
		{s.write, "busy_timeout", "1234"},
		{s.write, "journal_mode", "wal"},
		{s.write, "synchronous", "2"}, // FULL
		{s.write, "foreign_keys", "1"},
		{s.write, "query_only", "0"},
		{s.read, "busy_timeout", "1234"},
		{s.read, "journal_mode", "wal"},
		{s.read, "query_only", "1"},
	}
	for _, tc := range tests {
		var got string
		if err := tc.db.QueryRowContext(t.Context(), "PRAGMA "+tc.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", tc.pragma, err)
		}
		if got != tc.want {
			pool := "writer"
			if tc.db == s.read {
				pool = "reader"
			}
			t.Errorf("%s PRAGMA %s = %s, want %s", pool, tc.pragma, got, tc.want)
		}
	}
	if _, err := s.read.ExecContext(t.Context(), "DELETE FROM channels"); err == nil {
		t.Error("the read pool accepted a write")
	}
}

// a write that cannot get the lock within busy_timeout fails with
// ErrBusy, writes nothing, and the store works again once the lock is free.
func TestSQLiteBusyIsErrBusy(t *testing.T) {
	path := sqlitePath(t)
	s := openSQLite(t, path, WithBusyTimeout(50*time.Millisecond))
	// Another process (here: another connection) holds the write lock.
	other, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	holder, err := other.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := holder.ExecContext(t.Context(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = s.CreateChannel(t.Context(), "docs", sampleConfigForMigration())
	if !errors.Is(err, store.ErrBusy) {
		t.Fatalf("write under a held lock = %v, want ErrBusy", err)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Fatalf("gave up after %v, before busy_timeout", waited)
	}
	if _, err := holder.ExecContext(t.Context(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	_ = holder.Close()
	if _, err := s.Channel(t.Context(), "docs"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the busy write left a channel behind: %v", err)
	}
	if _, err := s.CreateChannel(t.Context(), "docs", sampleConfigForMigration()); err != nil {
		t.Fatalf("write after the lock was released: %v", err)
	}
}

func TestOpenSQLiteRejectsNonFilePaths(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file:x.db", "x.db?mode=ro", "x.db#frag"} {
		if s, err := OpenSQLite(t.Context(), path, nil); err == nil {
			_ = s.Close()
			t.Errorf("OpenSQLite(%q) succeeded", path)
		}
	}
}

func TestOpenPostgresDoesNotEchoTheDSN(t *testing.T) {
	_, err := OpenPostgres(t.Context(), "postgres://user:s3cr3t-canary@[::1", nil)
	if err == nil || strings.Contains(err.Error(), "s3cr3t-canary") {
		t.Fatalf("error = %v: want an error without the password", err)
	}
}
