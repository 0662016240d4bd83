// Package webbuild owns turning the widget's TypeScript and CSS sources
// (web/widget) into the minified bundles committed under web/dist.
//
// It wraps esbuild's Go API so that building needs no Node toolchain. Only the
// build command (cmd/webbuild) and tests import this package: the server embeds
// the committed bundles (package web) and never links esbuild.
package webbuild

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/docentchat/docent/web"
)

// modulePath identifies our go.mod when walking up from the working directory.
const modulePath = "github.com/docentchat/docent"

// target describes one output bundle.
type target struct {
	out     string      // file name under web/dist
	entry   string      // path relative to web/widget
	charset api.Charset // ASCII for code that runs in pages whose encoding we do not control
	// sloppy leaves out the "use strict" directive: 13 bytes of the loader's
	// budget (G1). The sources are type-checked in strict mode all the same,
	// and nothing in them behaves differently without the directive (no
	// undeclared assignments, no block-level functions, no use of this).
	sloppy bool
	// module emits an ES module (the loader's open half, which the loader
	// imports) instead of a classic script.
	module bool
	// loaderHalf: one of the loader's two halves. They talk through the
	// Link and Opened interfaces (web/widget/loader/link.ts), whose property
	// names end in "_": both builds shorten those names the same way (one
	// mangle cache), which keeps the loader within G1.
	loaderHalf bool
}

// OpenHalf is the bundle the loader imports on the widget's first open: the
// half of the loader that only an open widget needs (the frame's handshake,
// identity, token refresh, the on-screen keyboard). It is built first; the
// loader is built with its content hash (web.ContentHash) in the URL it
// imports.
const OpenHalf = "loader-open.js"

// targets lists every bundle we ship, in build order. The loader runs inside
// arbitrary host pages (any document encoding), so both its halves are
// ASCII-only; the frame runs in our own UTF-8 document, where raw UTF-8 keeps
// the translated strings small.
var targets = []target{
	{out: OpenHalf, entry: "loader/open.ts", charset: api.CharsetASCII, module: true, loaderHalf: true},
	{out: "widget.js", entry: "loader.ts", charset: api.CharsetASCII, sloppy: true, loaderHalf: true},
	{out: "frame.js", entry: "frame/main.ts", charset: api.CharsetUTF8},
	{out: "frame.css", entry: "frame/frame.css", charset: api.CharsetUTF8},
}

// LoaderNames is the file, beside the bundles in web/dist, that records the
// short names the build gave the loader halves' "_" properties. Each build
// starts from the committed record and only adds to it, so a name never
// changes between releases: a loader cached from an older release (up to
// five minutes after a deploy, or a tab left open) still understands a
// newer open half, as long as Link and Opened only gain properties.
const LoaderNames = "loader-names.json"

// Names returns the file names Bundle produces, in a stable order.
func Names() []string {
	names := make([]string, len(targets), len(targets)+1)
	for i, t := range targets {
		names[i] = t.out
	}
	return append(names, LoaderNames)
}

// Bundle builds every widget bundle from the sources in the module's
// web/widget directory and returns them keyed by file name.
func Bundle() (map[string][]byte, error) {
	root, err := ModuleRoot()
	if err != nil {
		return nil, err
	}
	src := filepath.Join(root, "web", "widget")
	out := make(map[string][]byte, len(targets)+1)
	mangled := map[string]interface{}{} // shared by the loader's two halves
	committed, err := os.ReadFile(filepath.Join(root, "web", "dist", LoaderNames))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err == nil {
		if err := json.Unmarshal(committed, &mangled); err != nil {
			return nil, fmt.Errorf("webbuild: web/dist/%s: %w", LoaderNames, err)
		}
	}
	for _, t := range targets {
		b, err := build(src, t, mangled, out)
		if err != nil {
			return nil, fmt.Errorf("webbuild: %s: %w", t.out, err)
		}
		out[t.out] = b
	}
	names, err := json.MarshalIndent(mangled, "", "  ") // keys sorted: a stable file
	if err != nil {
		return nil, err
	}
	out[LoaderNames] = append(names, '\n')
	return out, nil
}

// build runs esbuild for one target. Options are fixed so the output is a
// pure function of the sources (the staleness test depends on that). built
// holds the bundles built before this one; mangled is the loader halves'
// shared mangle cache, filled in by the first.
func build(srcDir string, t target, mangled map[string]interface{}, built map[string][]byte) ([]byte, error) {
	format, mangleProps, cache, define := api.FormatIIFE, "", map[string]interface{}(nil), map[string]string(nil)
	if t.module {
		format = api.FormatESModule
	}
	if t.loaderHalf {
		mangleProps, cache = "_$", mangled
	}
	if half, ok := built[OpenHalf]; ok && t.loaderHalf {
		define = map[string]string{"OPEN_HALF": fmt.Sprintf("%q", "/static/widget/"+OpenHalf+"?v="+web.ContentHash(half))}
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:       []string{t.entry},
		AbsWorkingDir:     srcDir,
		Bundle:            true,
		Write:             false,
		Outfile:           t.out,
		Format:            format,
		MangleProps:       mangleProps,
		MangleCache:       cache,
		Define:            define,
		Platform:          api.PlatformBrowser,
		Target:            api.ES2020,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		LegalComments:     api.LegalCommentsNone,
		Sourcemap:         api.SourceMapNone,
		Charset:           t.charset,
		// An explicit tsconfig keeps editor settings (web/widget/tsconfig.json)
		// from changing the emitted code.
		TsconfigRaw: fmt.Sprintf(`{"compilerOptions":{"strict":true,"alwaysStrict":%t}}`, !t.sloppy),
		LogLevel:    api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("expected 1 output file, got %d", len(res.OutputFiles))
	}
	if t.loaderHalf {
		for k, v := range res.MangleCache {
			mangled[k] = v
		}
	}
	return res.OutputFiles[0].Contents, nil
}

// ModuleRoot finds the directory holding our go.mod: first by walking up from
// the working directory (works under -trimpath), then from this source file.
func ModuleRoot() (string, error) {
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		starts = append(starts, filepath.Dir(file))
	}
	for _, dir := range starts {
		for {
			if isOurModule(dir) {
				return dir, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", fmt.Errorf("webbuild: cannot find the %s module root (run from inside the repository)", modulePath)
}

func isOurModule(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	return strings.TrimSpace(string(first)) == "module "+modulePath
}

// DistDir is where the committed bundles live.
func DistDir() (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "web", "dist"), nil
}

// The size budgets of PERFORMANCE.md, in bytes: G1 for the loader (gzip-9
// and raw), G2 for the frame's JS and CSS together (gzip-9). TestBudgets
// checks the built bundles against them, and the browser tests check what
// Chromium actually downloads (encodedBodySize).
const (
	LoaderBudgetGzip = 3584
	LoaderBudgetRaw  = 10240
	FrameBudgetGzip  = 40960
)

// GzipSize is the size of b compressed with gzip level 9, the measure the
// size budgets in PERFORMANCE.md (G1, G2) are stated in.
func GzipSize(b []byte) int {
	return len(web.Gzip9(b))
}
