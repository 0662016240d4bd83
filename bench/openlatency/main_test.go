package main

import (
	"strings"
	"testing"

	"github.com/docentchat/docent/bench/internal/webbench"
)

// TestShortRun creates the 50-message history and opens it once at each
// speed, so that CI exercises the benchmark (including the check that the
// frame shows the whole history). Timings are printed, never asserted.
func TestShortRun(t *testing.T) {
	webbench.RequireChromium(t)
	var out strings.Builder
	if _, err := run(1, false, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	for _, want := range []string{"MEDIAN open latency at 1×", "MEDIAN open latency at 4×", "goals not judged"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
