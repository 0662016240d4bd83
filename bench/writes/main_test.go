package main

import (
	"os"
	"strings"
	"testing"
)

// TestShortRun runs the benchmark briefly on SQLite, and on PostgreSQL when
// DOCENT_TEST_POSTGRES_DSN is set (CI sets it): the store paths it drives
// work on both. Rates are printed, never asserted: a shared CI machine
// cannot judge them (`go run ./bench/writes` does).
func TestShortRun(t *testing.T) {
	dsn := os.Getenv("DOCENT_TEST_POSTGRES_DSN")
	var out strings.Builder
	if _, err := run(t.Context(), config{seconds: 0.2, rounds: 1, dir: t.TempDir(), postgres: dsn}, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	want := []string{"fsyncs/s", "SQLite commits, 1 writer(s)", "SQLite commits, 8 writer(s)", "goals not judged"}
	if dsn != "" {
		want = append(want, "PostgreSQL commits, 1 connection(s)", "PostgreSQL commits, 8 connection(s)")
	}
	for _, w := range want {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q", w)
		}
	}
}
