// Package testbrowser owns how Docent's browser tests (e2e) and browser
// benchmarks (bench/hostcost, bench/openlatency) find and start headless
// Chromium, so that both run the same browser with the same flags. Nothing
// in the docent binary imports it.
package testbrowser

import (
	"errors"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// ErrNotFound says no Chromium is installed.
var ErrNotFound = errors.New("chromium not found: apt-get install chromium")

// Path finds Debian's Chromium or one on PATH.
func Path() (string, error) {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// Options are the allocator options of a headless Chromium at path with its
// own profile directory and window size: no sandbox (containers), no GPU,
// and none of the background traffic (updates, sync, first-run pages) that
// would add requests or CPU load the tests and benchmarks did not ask for.
func Options(path, profile string, width, height int) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(width, height),
	)
}
