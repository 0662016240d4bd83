package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"regexp"
	"sort"
	"strconv"

	"github.com/docentchat/docent/internal/store"
)

// Migrations are forward-only SQL files named NNNN_description.sql, one
// directory per dialect. Both directories carry the same versions.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

var migrationName = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)

type migration struct {
	version int
	name    string
	sql     string
}

// MigrationReport says what a migration run did.
type MigrationReport struct {
	Dialect string
	From    int      // schema version found
	To      int      // schema version after the run (the latest this binary knows)
	Applied []string // file names applied, in order; empty when already current
}

// loadMigrations reads a dialect's migrations in version order and checks
// that versions run 1, 2, 3… without gaps or duplicates.
func loadMigrations(dir string) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("sqlstore: migration %s: name must be NNNN_description.sql", e.Name())
		}
		version, _ := strconv.Atoi(m[1])
		body, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: version, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("sqlstore: migration %s: expected version %04d", m.name, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("sqlstore: no migrations in %s", dir)
	}
	return ms, nil
}

// Migrate applies every pending migration in ONE transaction: a crash or an
// error leaves the schema exactly as it was (SECURITY ST-05). It refuses a
// database migrated by a newer binary with store.ErrSchemaTooNew. Open calls
// it; calling it again is a cheap no-op. On PostgreSQL the transaction first
// takes an advisory lock, so instances starting together migrate one at a
// time and the later ones find nothing to do.
func (s *Store) Migrate(ctx context.Context) (MigrationReport, error) {
	ms, err := loadMigrations(s.d.migrationsDir)
	if err != nil {
		return MigrationReport{}, err
	}
	report := MigrationReport{Dialect: s.d.name, To: ms[len(ms)-1].version}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if s.q.migrationLock != "" {
			if _, err := tx.ExecContext(ctx, s.q.migrationLock); err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q.createMigrationsTable); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		if err := tx.QueryRowContext(ctx, s.q.schemaVersion).Scan(&report.From); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if report.From > report.To {
			return fmt.Errorf("%w: database is at version %d, this binary knows up to %d",
				store.ErrSchemaTooNew, report.From, report.To)
		}
		for _, m := range ms[report.From:] {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("apply migration %s: %w", m.name, err)
			}
			if _, err := tx.ExecContext(ctx, s.q.recordMigration, m.version, m.name, s.ts(s.now())); err != nil {
				return fmt.Errorf("record migration %s: %w", m.name, err)
			}
			report.Applied = append(report.Applied, m.name)
		}
		return nil
	})
	if err != nil {
		return MigrationReport{}, err
	}
	if len(report.Applied) > 0 {
		s.logger.LogAttrs(ctx, slog.LevelInfo, "database migrated",
			slog.String("dialect", report.Dialect), slog.Int("from", report.From),
			slog.Int("to", report.To), slog.Any("applied", report.Applied))
	}
	return report, nil
}

// Migration reports what Open's migration run did.
func (s *Store) Migration() MigrationReport { return s.migration }

// SchemaVersion returns the version recorded in schema_migrations.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.read.QueryRowContext(ctx, s.q.schemaVersion).Scan(&v); err != nil {
		return 0, s.wrap(err)
	}
	return v, nil
}

// LatestSchemaVersion is the newest schema version this binary knows for a
// dialect ("sqlite" or "postgres").
func LatestSchemaVersion(dialectName string) (int, error) {
	dir := "migrations/" + dialectName
	ms, err := loadMigrations(dir)
	if err != nil {
		return 0, err
	}
	return ms[len(ms)-1].version, nil
}
