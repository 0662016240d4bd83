// Command webbuild rebuilds the widget bundles (web/dist) from the TypeScript
// sources in web/widget with esbuild's Go API, so no Node toolchain is needed:
//
//	go run ./cmd/webbuild
//
// The bundles are committed; a test in web/webbuild fails when they are stale.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/docentchat/docent/web/webbuild"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	defaultOut, err := webbuild.DistDir()
	if err != nil {
		return err
	}
	out := flag.String("out", defaultOut, "directory to write the bundles into")
	flag.Parse()

	files, err := webbuild.Bundle()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, name := range webbuild.Names() {
		b := files[name]
		if err := writeFileAtomic(filepath.Join(*out, name), b); err != nil {
			return err
		}
		fmt.Printf("%-10s %7d bytes  %6d gzip-9\n", name, len(b), webbuild.GzipSize(b))
	}
	return nil
}

// writeFileAtomic replaces path in one rename so a server embedding or serving
// the directory never sees a half-written bundle.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".webbuild-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
