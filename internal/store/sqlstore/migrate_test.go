package sqlstore

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/docentchat/docent/internal/store"
)

// dialectCase opens stores of one dialect on one database, fresh per test.
type dialectCase struct {
	name string
	// fresh returns an opener bound to a new, empty database.
	fresh func(t *testing.T) func(t *testing.T) (*Store, error)
}

func dialectCases() []dialectCase {
	return []dialectCase{
		{"sqlite", func(t *testing.T) func(t *testing.T) (*Store, error) {
			path := sqlitePath(t)
			return func(t *testing.T) (*Store, error) { return OpenSQLite(t.Context(), path, testLogger(t)) }
		}},
		{"postgres", func(t *testing.T) func(t *testing.T) (*Store, error) {
			dsn := postgresSchemaDSN(t)
			return func(t *testing.T) (*Store, error) { return OpenPostgres(t.Context(), dsn, testLogger(t)) }
		}},
	}
}

func TestMigrate(t *testing.T) {
	for _, dc := range dialectCases() {
		t.Run(dc.name, func(t *testing.T) {
			if dc.name == "postgres" {
				postgresDSN(t) // skip (or fail in CI) once, not per subtest
			}
			latest, err := LatestSchemaVersion(dc.name)
			if err != nil || latest < 1 {
				t.Fatalf("LatestSchemaVersion = %d, %v", latest, err)
			}
			t.Run("fresh database migrates to the latest version", func(t *testing.T) {
				s := mustOpen(t, dc.fresh(t))
				want := MigrationReport{Dialect: dc.name, From: 0, To: latest, Applied: migrationNames(t, dc.name)}
				if got := s.Migration(); got.From != want.From || got.To != want.To || !slices.Equal(got.Applied, want.Applied) {
					t.Fatalf("report = %+v, want %+v", got, want)
				}
				if v, err := s.SchemaVersion(t.Context()); err != nil || v != latest {
					t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, latest)
				}
			})
			t.Run("reopening is a no-op", func(t *testing.T) {
				open := dc.fresh(t)
				first := mustOpen(t, open)
				if _, err := first.CreateChannel(t.Context(), "kept", sampleConfigForMigration()); err != nil {
					t.Fatal(err)
				}
				_ = first.Close()
				again := mustOpen(t, open)
				if got := again.Migration(); got.From != latest || got.To != latest || len(got.Applied) != 0 {
					t.Fatalf("second open report = %+v", got)
				}
				if report, err := again.Migrate(t.Context()); err != nil || len(report.Applied) != 0 {
					t.Fatalf("explicit Migrate = %+v, %v", report, err)
				}
				if _, err := again.Channel(t.Context(), "kept"); err != nil {
					t.Fatalf("data lost across reopen: %v", err)
				}
			})
			t.Run("a newer schema is refused with ErrSchemaTooNew", func(t *testing.T) {
				open := dc.fresh(t)
				s := mustOpen(t, open)
				if _, err := s.write.ExecContext(t.Context(), s.q.recordMigration, 999, "9999_future.sql", s.ts(s.now())); err != nil {
					t.Fatal(err)
				}
				_ = s.Close()
				_, err := open(t)
				if !errors.Is(err, store.ErrSchemaTooNew) {
					t.Fatalf("open = %v, want ErrSchemaTooNew", err)
				}
				if !strings.Contains(err.Error(), "999") {
					t.Fatalf("error %q does not name the database version", err)
				}
			})
			t.Run("instances opening at once migrate exactly once", func(t *testing.T) {
				open := dc.fresh(t)
				const n = 4
				reports := make([]MigrationReport, n)
				errs := make([]error, n)
				var wg sync.WaitGroup
				for i := range n {
					wg.Go(func() {
						s, err := open(t)
						if err == nil {
							reports[i] = s.Migration()
							_ = s.Close()
						}
						errs[i] = err
					})
				}
				wg.Wait()
				applied := 0
				for i, err := range errs {
					if err != nil {
						t.Fatalf("open %d: %v", i, err)
					}
					if len(reports[i].Applied) > 0 {
						applied++
					}
				}
				if applied != 1 {
					t.Fatalf("%d opens applied migrations, want 1", applied)
				}
			})
		})
	}
}

func mustOpen(t *testing.T, open func(t *testing.T) (*Store, error)) *Store {
	t.Helper()
	s, err := open(t)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func migrationNames(t *testing.T, dialectName string) []string {
	t.Helper()
	ms, err := loadMigrations("migrations/" + dialectName)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.name)
	}
	return names
}

func sampleConfigForMigration() store.ChannelConfig {
	return store.ChannelConfig{Title: "Kept", Language: "en", Persona: store.PersonaPublic, IdentityMode: store.IdentityNone}
}

// Both dialects must carry the same migrations, so a version means the same
// schema whichever database runs it.
func TestMigrationFilesMatchAcrossDialects(t *testing.T) {
	sqlite, postgres := migrationNames(t, "sqlite"), migrationNames(t, "postgres")
	if !slices.Equal(sqlite, postgres) {
		t.Fatalf("sqlite migrations %v != postgres migrations %v", sqlite, postgres)
	}
	entries, err := os.ReadDir(filepath.Join("migrations", "sqlite"))
	if err != nil || len(entries) != len(sqlite) {
		t.Fatalf("embedded %d files, directory has %d (%v)", len(sqlite), len(entries), err)
	}
}
