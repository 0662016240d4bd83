package webbuild_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/docentchat/docent/web/webbuild"
)

// bundle builds once per test binary: esbuild is the slow part of these tests.
var bundle = sync.OnceValues(webbuild.Bundle)

func mustBundle(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := bundle()
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDistIsCurrent fails when web/dist does not match the sources, so the
// committed bundles (which the server embeds) can never drift from them.
func TestDistIsCurrent(t *testing.T) {
	files := mustBundle(t)
	dist, err := webbuild.DistDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range webbuild.Names() {
		committed, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Errorf("%s: %v; run `go run ./cmd/webbuild`", name, err)
			continue
		}
		if !bytes.Equal(committed, files[name]) {
			t.Errorf("web/dist/%s is stale (%d bytes committed, %d built); run `go run ./cmd/webbuild`",
				name, len(committed), len(files[name]))
		}
	}
}

// TestBudgets enforces PERFORMANCE.md G1 (loader) and G2 (what opening the
// widget fetches: the loader's open half, the frame's JS and CSS).
func TestBudgets(t *testing.T) {
	files := mustBundle(t)
	loader := files["widget.js"]
	loaderGz := webbuild.GzipSize(loader)
	openGz := webbuild.GzipSize(files[webbuild.OpenHalf])
	frameGz := openGz + webbuild.GzipSize(files["frame.js"]) + webbuild.GzipSize(files["frame.css"])
	t.Logf("widget.js: %d bytes raw, %d gzip-9 (G1 budget %d gzip, %d raw)", len(loader), loaderGz,
		webbuild.LoaderBudgetGzip, webbuild.LoaderBudgetRaw)
	t.Logf("%s %d + frame.js %d + frame.css %d gzip-9 = %d (G2 budget %d)", webbuild.OpenHalf, openGz,
		webbuild.GzipSize(files["frame.js"]), webbuild.GzipSize(files["frame.css"]), frameGz, webbuild.FrameBudgetGzip)
	tests := []struct {
		name      string
		got, want int
	}{
		{"G1 widget.js gzip-9", loaderGz, webbuild.LoaderBudgetGzip},
		{"G1 widget.js raw", len(loader), webbuild.LoaderBudgetRaw},
		{"G2 loader-open.js+frame.js+frame.css gzip-9", frameGz, webbuild.FrameBudgetGzip},
	}
	for _, tc := range tests {
		if tc.got > tc.want {
			t.Errorf("%s = %d bytes, over the %d byte budget", tc.name, tc.got, tc.want)
		}
	}
}

// TestBundleShape checks properties the server and the CSPs rely on.
func TestBundleShape(t *testing.T) {
	files := mustBundle(t)
	for _, name := range []string{"widget.js", webbuild.OpenHalf, "frame.js"} {
		js := string(files[name])
		if name == webbuild.OpenHalf {
			if !regexp.MustCompile(`export\s*\{\s*\w+ as default\s*\};?\s*$`).MatchString(js) {
				t.Errorf("%s is not an ES module with a default export: ...%q", name, js[max(0, len(js)-60):])
			}
		} else if !strings.HasPrefix(js, `"use strict";(()=>{`) && !strings.HasPrefix(js, "(()=>{") {
			t.Errorf("%s is not an IIFE: %.40q", name, js)
		}
		// Untrusted text must never reach an HTML parser or an evaluator.
		for _, banned := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "sourceMappingURL"} {
			if strings.Contains(js, banned) {
				t.Errorf("%s contains %q", name, banned)
			}
		}
	}
	for _, name := range []string{"widget.js", webbuild.OpenHalf} {
		for i, b := range files[name] {
			if b >= 0x80 {
				t.Fatalf("%s has a non-ASCII byte at %d: host pages may not decode it as UTF-8", name, i)
			}
		}
	}
	if bytes.Contains(files["frame.css"], []byte("@import")) {
		t.Error("frame.css must be self-contained (CSP style-src 'self', one request)")
	}
}

// TestWidgetUnitJS bundles web/widget/test (unit and property tests of the
// SSE parser, Markdown renderer, handshake checks, API client, colours and
// strings) and runs it with node. It is skipped where node is not installed,
// except under CI=true, which installs it (.ci/run): there it must run.
func TestWidgetUnitJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node not installed (CI=true: the widget's JS unit tests must run; .ci/run installs nodejs)")
		}
		t.Skip("node not installed: the widget's JS unit tests need it")
	}
	root, err := webbuild.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:   []string{"test/main.ts"},
		AbsWorkingDir: filepath.Join(root, "web", "widget"),
		Bundle:        true,
		Outfile:       "unit.js",
		Format:        api.FormatIIFE,
		Platform:      api.PlatformNode,
		Target:        api.ES2020,
		TsconfigRaw:   `{"compilerOptions":{"strict":true}}`,
		LogLevel:      api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatal(strings.Join(api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage}), "\n"))
	}
	script := filepath.Join(t.TempDir(), "unit.js")
	if err := os.WriteFile(script, res.OutputFiles[0].Contents, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, script).CombinedOutput()
	t.Logf("node output:\n%s", out)
	if err != nil {
		t.Fatalf("JS unit tests failed: %v", err)
	}
	m := regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed$`).FindSubmatch(out)
	if m == nil {
		t.Fatal("no summary line from the JS tests")
	}
	if passed, _ := strconv.Atoi(string(m[1])); passed == 0 || string(m[2]) != "0" {
		t.Fatalf("JS tests: %s passed, %s failed", m[1], m[2])
	}
}
