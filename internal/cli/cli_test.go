package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), Env{Stdout: &out, Stderr: &errOut, Environ: env}, args)
	return code, out.String(), errOut.String()
}

func TestCommands(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"version"}, 0, "docent dev", ""},
		{[]string{"config", "default"}, 0, "addr = :8080", ""},
		{[]string{"config"}, 1, "", "usage: docent config default"},
		{nil, 2, "", "Usage: docent <command>"},
		{[]string{"help"}, 0, "", "Commands:"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"serve", "--addr", "nonsense"}, 1, "", "addr"},
		{[]string{"ingest", "--data-dir", "x"}, 1, "", "usage: docent ingest"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, nil, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
}

func TestMigrateAndIngest(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(docs, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("refunds.md", "# Refunds\n\nRefunds are issued within 14 days of purchase to the original card.\n")
	write("page.html", "<html><head><title>Shipping</title><script>var secret=1</script></head><body><h1>Shipping</h1><p>We ship worldwide in 3 days.</p></body></html>")
	write("image.png", "not text")
	data := filepath.Join(dir, "data")
	env := []string{"DOCENT_DATA_DIR=" + data, "DOCENT_UNKNOWN_THING=1"}

	code, out, errOut := run(t, env, "migrate")
	if code != 0 || !strings.Contains(out, "sqlite") || !strings.Contains(errOut, "DOCENT_UNKNOWN_THING") {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	if code, out, _ = run(t, env, "migrate"); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("second migrate: %d %q", code, out)
	}
	code, out, errOut = run(t, env, "ingest", "--collection", "help", docs)
	if code != 0 || !strings.Contains(out, "2 added") || !strings.Contains(out, "1 skipped") {
		t.Fatalf("ingest: %d %q %q", code, out, errOut)
	}
	code, out, _ = run(t, env, "ingest", "--collection", "help", docs)
	if code != 0 || !strings.Contains(out, "0 added, 0 updated, 2 unchanged") {
		t.Fatalf("re-ingest should be a no-op: %d %q", code, out)
	}
	write("refunds.md", "# Refunds\n\nRefunds are issued within 30 days.\n")
	if code, out, _ = run(t, env, "ingest", "--collection", "help", docs); code != 0 || !strings.Contains(out, "1 updated") {
		t.Fatalf("changed file should update: %d %q", code, out)
	}
	if info, err := os.Stat(filepath.Join(data, "docent.db")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("database file mode: %v %v", info, err)
	}
}
