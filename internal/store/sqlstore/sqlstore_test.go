package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docentchat/docent/internal/store"
	"github.com/docentchat/docent/internal/store/storetest"
)

// postgresDSNEnv names the PostgreSQL server the tests use; CI must set it.
const postgresDSNEnv = "DOCENT_TEST_POSTGRES_DSN"

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// sqlitePath returns a fresh database path in the test's temp dir.
func sqlitePath(t testing.TB) string { return filepath.Join(t.TempDir(), "docent.db") }

func openSQLite(t testing.TB, path string, opts ...Option) *Store {
	t.Helper()
	s, err := OpenSQLite(t.Context(), path, testLogger(t), opts...)
	if err != nil {
		t.Fatalf("OpenSQLite: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// postgresDSN returns the test server's DSN. Without one the test is skipped
// locally, loudly, and fails in CI: a green CI run must have run PostgreSQL.
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(postgresDSNEnv)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set but CI=true: the PostgreSQL store tests must run in CI", postgresDSNEnv)
		}
		t.Log("!!! " + postgresDSNEnv + " is not set: SKIPPING the PostgreSQL store tests. " +
			"Set it (e.g. postgres://docent:docent@127.0.0.1:5432/docent_test?sslmode=disable) to run them.")
		t.Skip(postgresDSNEnv + " not set")
	}
	return dsn
}

// postgresSchemaDSN creates a fresh schema for this test, drops it at the
// end, and returns a DSN whose search_path points at it: every test gets an
// empty database of its own on one server.
func postgresSchemaDSN(t testing.TB) string {
	t.Helper()
	dsn := postgresDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open admin connection: %v", err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	schema := "t_" + randomHex(t, 8)
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		// t.Context is done during cleanup.
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withSearchPath(t, dsn, schema)
}

func withSearchPath(t testing.TB, dsn, schema string) string {
	t.Helper()
	if !strings.Contains(dsn, "://") {
		return dsn + " search_path=" + schema
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", postgresDSNEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openPostgres(t testing.TB, dsn string, opts ...Option) *Store {
	t.Helper()
	s, err := OpenPostgres(t.Context(), dsn, testLogger(t), opts...)
	if err != nil {
		t.Fatalf("OpenPostgres: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func TestSQLiteStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openSQLite(t, sqlitePath(t)) })
}

func TestPostgresStore(t *testing.T) {
	postgresDSN(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openPostgres(t, postgresSchemaDSN(t)) })
}
