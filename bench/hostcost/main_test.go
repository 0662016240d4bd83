package main

import (
	"strings"
	"testing"

	"github.com/docentchat/docent/bench/internal/webbench"
)

// TestShortRun runs one load of each page so that CI exercises the
// benchmark. Timings are printed, never asserted: a shared CI machine cannot
// judge them (`go run ./bench/hostcost` does).
func TestShortRun(t *testing.T) {
	webbench.RequireChromium(t)
	var out strings.Builder
	if _, err := run(config{runs: 1, throttle: 4}, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	for _, want := range []string{"script time, loader page", "MEDIAN launcher visible after load", "goals not judged"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
