package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docentchat/docent/bench/internal/stats"
	"github.com/docentchat/docent/internal/store"
	"github.com/docentchat/docent/internal/store/sqlstore"
)

func run(ctx context.Context, cfg config, out io.Writer) (bool, error) {
	dir := cfg.dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "docent-bench-writes-")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	logger := slog.New(slog.DiscardHandler)
	fmt.Fprintf(out, "G12 durable writes through the store: %d rounds of %.1f s, medians; SQLite in %s\n", cfg.rounds, cfg.seconds, dir)
	fsyncs, err := median(cfg.rounds, func() (float64, error) { return fsyncRate(dir, cfg.seconds) })
	if err != nil {
		return false, err
	}
	fmt.Fprintf(out, "this disk: %.0f fsyncs/s (write 4 KiB + fsync, one file): the ceiling of any synchronous=FULL commit\n", fsyncs)
	ok := true
	sqlite, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "docent.db"), logger)
	if err != nil {
		return false, err
	}
	defer sqlite.Close()
	for _, workers := range []int{1, 8} {
		rate, err := median(cfg.rounds, func() (float64, error) { return commitRate(ctx, sqlite, workers, cfg.seconds) })
		if err != nil {
			return false, fmt.Errorf("sqlite: %w", err)
		}
		name := fmt.Sprintf("SQLite commits, %d writer(s)", workers)
		if workers == 1 {
			ok = judge(out, cfg, name, rate, goalSQLite) && ok
		} else {
			fmt.Fprintf(out, "MEDIAN %-34s %9.0f /s (SQLite takes one writer at a time)\n", name, rate)
		}
	}
	// Docent commits each message on its own: there is no group commit to
	// measure, and a judged run misses that goal.
	verdict := "goals not judged"
	if cfg.judge {
		verdict, ok = "MISSED: not implemented", false
	}
	fmt.Fprintf(out, "MEDIAN %-34s %9s    (goal ≥ %d) %s\n", "SQLite messages, group commit", "-", goalGroupCommit, verdict)
	if cfg.postgres == "" {
		fmt.Fprintln(out, "PostgreSQL: skipped (no -postgres or DOCENT_TEST_POSTGRES_DSN)")
		return ok, nil
	}
	dsn, drop, err := benchSchema(ctx, cfg.postgres)
	if err != nil {
		return false, err
	}
	defer drop()
	for _, c := range []struct {
		conns int
		goal  float64
	}{{1, goalPostgres1}, {8, goalPostgres8}} {
		pg, err := sqlstore.OpenPostgres(ctx, dsn, logger, sqlstore.WithMaxConns(max(c.conns, 2)))
		if err != nil {
			return false, err
		}
		rate, err := median(cfg.rounds, func() (float64, error) { return commitRate(ctx, pg, c.conns, cfg.seconds) })
		_ = pg.Close()
		if err != nil {
			return false, fmt.Errorf("postgres: %w", err)
		}
		ok = judge(out, cfg, fmt.Sprintf("PostgreSQL commits, %d connection(s)", c.conns), rate, c.goal) && ok
	}
	return ok, nil
}

// commitRate runs chat turns (two commits each) from workers goroutines,
// each in a session of its own as real visitors are, for seconds, and
// returns commits per second.
func commitRate(ctx context.Context, s store.Store, workers int, seconds float64) (float64, error) {
	ch, err := s.CreateChannel(ctx, fmt.Sprintf("bench-%d", time.Now().UnixNano()), store.ChannelConfig{Title: "bench"})
	if err != nil {
		return 0, err
	}
	sessions := make([]string, workers)
	for i := range sessions {
		hash := sha256.Sum256(fmt.Appendf(nil, "%s-%d", ch.ID, i))
		sess, err := s.CreateSession(ctx, store.Session{ChannelID: ch.ID, TokenHash: hash[:]}, nil)
		if err != nil {
			return 0, err
		}
		sessions[i] = sess.ID
	}
	var commits atomic.Int64
	var firstErr error
	var once sync.Once
	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	began := time.Now()
	var wg sync.WaitGroup
	for _, session := range sessions {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				turn, err := s.BeginTurn(ctx, store.TurnStart{SessionID: session, ClientMessageID: fmt.Sprint(i),
					RequestHash: "h", Text: "How do I install Docent?"})
				if err == nil {
					_, err = s.FinishReply(ctx, store.ReplyResult{MessageID: turn.Reply.ID, Status: store.StatusComplete,
						Text: "Run the binary.", At: time.Now()})
				}
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				commits.Add(2)
			}
		})
	}
	wg.Wait()
	return float64(commits.Load()) / time.Since(began).Seconds(), firstErr
}

// fsyncRate writes 4 KiB and fsyncs it, over and over, in one file.
func fsyncRate(dir string, seconds float64) (float64, error) {
	f, err := os.CreateTemp(dir, "fsync-probe-")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	block := make([]byte, 4096)
	n := 0
	began := time.Now()
	for time.Since(began).Seconds() < seconds {
		if _, err := f.WriteAt(block, int64(n%256)*4096); err != nil {
			return 0, err
		}
		if err := f.Sync(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(began).Seconds(), nil
}

// benchSchema creates a schema of its own in the PostgreSQL database and
// returns a DSN using it and a function that drops it.
func benchSchema(ctx context.Context, dsn string) (string, func(), error) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	schema := fmt.Sprintf("bench_writes_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("postgres: create schema: %w", err)
	}
	drop := func() {
		_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		_ = admin.Close()
	}
	if !strings.Contains(dsn, "://") {
		return dsn + " search_path=" + schema, drop, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		drop()
		return "", nil, errors.New("postgres: the DSN is not a valid URL") // the parse error would echo it, password and all
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// median runs f rounds times and returns the median result.
func median(rounds int, f func() (float64, error)) (float64, error) {
	xs := make([]float64, 0, rounds)
	for range rounds {
		x, err := f()
		if err != nil {
			return 0, err
		}
		xs = append(xs, x)
	}
	return stats.Median(xs), nil
}
