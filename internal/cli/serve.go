package cli

import (
	"context"
	"flag"
	"fmt"
	"net"

	"github.com/docentchat/docent/internal/app"
)

func runServe(ctx context.Context, env Env, args []string) error {
	cfg, logger, err := loadConfig(env, flag.NewFlagSet("serve", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Run(ctx, func(addr net.Addr) {
		logger.Info("docent is listening", "addr", addr.String(), "version", Version)
		if cfg.Demo {
			fmt.Fprintf(env.Stderr, "\n  Docent is running. Open %s/ to try the demo.\n\n", cfg.BaseURL)
		} else {
			fmt.Fprintf(env.Stderr, "\n  Docent is running at %s/\n\n", cfg.BaseURL)
		}
	})
}

func runMigrate(ctx context.Context, env Env, args []string) error {
	cfg, logger, err := loadConfig(env, flag.NewFlagSet("migrate", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	st, err := app.OpenStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	r := st.Migration()
	if r.From == r.To {
		fmt.Fprintf(env.Stdout, "database schema is up to date (version %d, %s)\n", r.To, st.Dialect())
	} else {
		fmt.Fprintf(env.Stdout, "migrated database schema from version %d to %d (%s)\n", r.From, r.To, st.Dialect())
	}
	return nil
}
