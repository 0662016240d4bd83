// Package cli owns Docent's command line: it parses the subcommand and its
// flags, builds the logger, and calls into the composition root. Each
// subcommand lives in its own file.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/docentchat/docent/internal/config"
)

// Version is set at build time with -ldflags "-X github.com/docentchat/docent/internal/cli.Version=…".
var Version = "dev"

// Env is what a command may touch of its process, injected for tests.
type Env struct {
	Stdout  io.Writer
	Stderr  io.Writer
	Environ []string
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the Docent server (creates the database and demo on first start)", runServe},
		{"migrate", "apply database migrations and print the schema version", runMigrate},
		{"ingest", "add documents to a knowledge collection: ingest --collection NAME PATH...", runIngest},
		{"channel", "administer channels: create|list|show|update|publish|rotate-secret|delete", runChannel},
		{"token", "token sign: mint an identity token or assertion for trying an integration", runToken},
		{"config", "config default: print a documented sample config file", runConfig},
		{"version", "print the version", runVersion},
	}
}

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if err := c.run(ctx, env, args[1:]); err != nil {
				if err == flag.ErrHelp {
					return 0
				}
				fmt.Fprintf(env.Stderr, "docent %s: %v\n", c.name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(env.Stderr, "docent: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Docent: a self-hosted AI chat widget that answers from your documentation.")
	fmt.Fprintln(w, "\nUsage: docent <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'docent <command> -h' for the flags of a command.")
}

// loadConfig parses the boot flags shared by serve, migrate and ingest.
func loadConfig(env Env, fs *flag.FlagSet, args []string) (config.Config, *slog.Logger, error) {
	fs.SetOutput(env.Stderr)
	cfg, warnings, err := config.Load(fs, args, env.Environ)
	logger := newLogger(env.Stderr, cfg)
	for _, w := range warnings {
		logger.Warn(w)
	}
	return cfg, logger, err
}

// newLogger writes text to a terminal and JSON otherwise.
func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	level := slog.LevelInfo
	if cfg.Verbose {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "auto" || format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func runVersion(_ context.Context, env Env, _ []string) error {
	fmt.Fprintln(env.Stdout, "docent", Version)
	return nil
}

func runConfig(_ context.Context, env Env, args []string) error {
	if len(args) != 1 || strings.TrimSpace(args[0]) != "default" {
		return fmt.Errorf("usage: docent config default")
	}
	fmt.Fprint(env.Stdout, config.Sample())
	return nil
}
