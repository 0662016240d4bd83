// Command writes measures performance goal G12 (PERFORMANCE.md): durable
// message writes through Docent's real store layer (internal/store/sqlstore),
// never raw SQL. A chat turn is two commits, BeginTurn (the visitor's
// message, the reply placeholder, the idempotency key, the session's
// activity) and FinishReply (the reply); each commit durably stores one
// message. It reports commits per second
//
//   - on SQLite (WAL, synchronous=FULL: every commit is fsynced), one writer
//     and 8 concurrent ones, next to this disk's raw fsync rate, which bounds
//     any FULL commit (goal ≥ 8 000/s; ≥ 30 000 messages/s with group commit),
//   - on PostgreSQL, with 1 connection and with 8 (goals ≥ 2 000/s, ≥ 5 000/s),
//     when -postgres (or DOCENT_TEST_POSTGRES_DSN) names a database; it
//     works in a schema of its own and drops it,
//
// as the median of -rounds rounds of -seconds each, and exits with status 1
// when a goal is missed (2 on error).
//
//	go run ./bench/writes                 # SQLite, and PostgreSQL if DOCENT_TEST_POSTGRES_DSN is set
//	go run ./bench/writes -short          # one short round, goals not judged
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

// Goals of G12, in commits (messages) per second.
const (
	goalSQLite      = 8000
	goalGroupCommit = 30000
	goalPostgres1   = 2000
	goalPostgres8   = 5000
)

type config struct {
	seconds  float64
	rounds   int
	dir      string // where the SQLite database and the fsync probe live
	postgres string
	judge    bool
}

func main() {
	cfg := config{judge: true}
	short := flag.Bool("short", false, "one short round, goals not judged")
	flag.Float64Var(&cfg.seconds, "seconds", 3, "length of a round")
	flag.IntVar(&cfg.rounds, "rounds", 3, "rounds per measure (medians are reported)")
	flag.StringVar(&cfg.dir, "dir", "", "directory for the SQLite database (default: a temporary one; use the disk you deploy on)")
	flag.StringVar(&cfg.postgres, "postgres", os.Getenv("DOCENT_TEST_POSTGRES_DSN"), "PostgreSQL DSN (default: $DOCENT_TEST_POSTGRES_DSN)")
	flag.Parse()
	if *short {
		cfg.seconds, cfg.rounds, cfg.judge = 0.3, 1, false
	}
	if cfg.rounds < 3 || cfg.seconds < 3 {
		cfg.judge = false
	}
	ok, err := run(context.Background(), cfg, os.Stdout)
	switch {
	case err != nil:
		fmt.Fprintln(os.Stderr, "writes:", err)
		os.Exit(2)
	case !ok:
		os.Exit(1)
	}
}

// judge prints a result line and reports whether it met its goal.
func judge(out io.Writer, cfg config, name string, got, goal float64) bool {
	verdict := "goals not judged"
	met := got >= goal
	if cfg.judge {
		verdict = "ok"
		if !met {
			verdict = "MISSED"
		}
	}
	fmt.Fprintf(out, "MEDIAN %-34s %9.0f /s (goal ≥ %.0f) %s\n", name, got, goal, verdict)
	return met || !cfg.judge
}
