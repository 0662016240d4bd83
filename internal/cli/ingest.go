package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/docentchat/docent/internal/app"
	"github.com/docentchat/docent/internal/knowledge"
)

func runIngest(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	collection := fs.String("collection", "", "name of the knowledge collection (created if new)")
	cfg, logger, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	if *collection == "" || fs.NArg() == 0 {
		return fmt.Errorf("usage: docent ingest --collection NAME PATH... (files or directories of .md, .txt, .html)")
	}
	st, err := app.OpenStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	index := knowledge.NewIndex()
	report, err := knowledge.NewIngester(st, index, logger).IngestPaths(ctx, *collection, fs.Args())
	if err != nil {
		return err
	}
	for _, f := range report.Files {
		line := fmt.Sprintf("%-9s %s", f.Status, f.Source)
		if f.Chunks > 0 {
			line += fmt.Sprintf(" (%d chunks)", f.Chunks)
		}
		if f.Reason != "" {
			line += ": " + f.Reason
		}
		fmt.Fprintln(env.Stdout, line)
	}
	fmt.Fprintf(env.Stdout, "collection %q: %d added, %d updated, %d unchanged, %d skipped, %d failed, %d chunks written\n",
		*collection, report.Added, report.Updated, report.Unchanged, report.Skipped, report.Failed, report.Chunks)
	if report.Failed > 0 {
		return fmt.Errorf("%d file(s) could not be ingested", report.Failed)
	}
	return nil
}
