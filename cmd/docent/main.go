// Command docent runs the Docent chat widget server and its tools.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/docentchat/docent/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Environ: os.Environ()}, os.Args[1:])
	stop()
	os.Exit(code)
}
