package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/docentchat/docent/internal/store"
)

// OpenPostgres connects to PostgreSQL and applies pending migrations. Several
// instances may open the same database at once: migrations serialize on an
// advisory lock. The dsn is a pgx connection string (URL or key=value); extra
// parameters such as search_path are sent as run-time parameters.
func OpenPostgres(ctx context.Context, dsn string, logger *slog.Logger, opts ...Option) (*Store, error) {
	o := buildOptions(opts)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx errors may echo the DSN, password included: do not wrap it.
		return nil, errors.New("sqlstore: invalid PostgreSQL connection string")
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(o.maxConns)
	db.SetMaxIdleConns(o.maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlstore: connect to PostgreSQL %s:%d/%s: %w", cfg.Host, cfg.Port, cfg.Database, err)
	}
	return newStore(ctx, postgresDialect, postgresQueries, db, db, logger, o)
}

var postgresDialect = dialect{
	name:          "postgres",
	migrationsDir: "migrations/postgres",
	timeValue:     func(t time.Time) any { return t },
	translate:     translatePostgresError,
}

// translatePostgresError maps SQLSTATE codes to store errors.
func translatePostgresError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return nil
	}
	switch pe.Code {
	case "23505": // unique_violation
		return store.ErrConflict
	case "23503": // foreign_key_violation: a reference to a row that does not exist
		return store.ErrNotFound
	case "55P03", "40P01": // lock_not_available, deadlock_detected
		return store.ErrBusy
	}
	return nil
}
