package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, args, env []string) (Config, []string, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return Load(fs, args, env)
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "docent.conf")
	if err := os.WriteFile(file, []byte("# comment\naddr = :7000\ndata-dir = /from/file\nverbose = true\nbogus = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		env      []string
		wantAddr string
		wantDir  string
	}{
		{"defaults", nil, nil, ":8080", "./data"},
		{"file", []string{"--config", file}, nil, ":7000", "/from/file"},
		{"env beats file", []string{"--config", file}, []string{"DOCENT_ADDR=:7100"}, ":7100", "/from/file"},
		{"flag beats env", []string{"--config", file, "--addr", ":7200"}, []string{"DOCENT_ADDR=:7100"}, ":7200", "/from/file"},
		{"config from env", nil, []string{"DOCENT_CONFIG=" + file}, ":7000", "/from/file"},
		{"host and port", []string{"--host", "127.0.0.1", "--port", "9000"}, nil, "127.0.0.1:9000", "./data"},
		{"port only", []string{"--port", "9001"}, nil, ":9001", "./data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := load(t, tt.args, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Addr != tt.wantAddr || cfg.DataDir != tt.wantDir {
				t.Fatalf("got addr %q dir %q", cfg.Addr, cfg.DataDir)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	_, warnings, err := load(t, nil, []string{"DOCENT_ADR=:1", "DOCENT_VERBOSE=true", "PATH=/bin"})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "DOCENT_ADR") {
		t.Fatalf("warnings = %v", warnings)
	}
}

func TestInvalid(t *testing.T) {
	tests := [][]string{
		{"--addr", "nonsense"},
		{"--base-url", "ftp://x"},
		{"--base-url", "https://x.example/path"},
		{"--cors-origins", "*"},
		{"--cors-origins", "https://ok.example,http://shop.example"},
		{"--database-url", "mysql://x"},
		{"--verbose", "maybe"},
		{"--shutdown-timeout", "0s"},
		{"--log-format", "xml"},
		{"--port", "http"},
	}
	for _, args := range tests {
		if _, _, err := load(t, args, nil); err == nil {
			t.Errorf("%v: want error", args)
		}
	}
}

func TestDerivedBaseURL(t *testing.T) {
	cfg, _, err := load(t, []string{"--addr", "0.0.0.0:9090", "--cors-origins", "https://A.example/"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "http://localhost:9090" || cfg.CORSOrigins[0] != "https://a.example" {
		t.Fatalf("got %q %v", cfg.BaseURL, cfg.CORSOrigins)
	}
}

func TestSampleParsesToDefaults(t *testing.T) {
	values, warnings, err := ParseFile([]byte(Sample()), settings())
	if err != nil || len(warnings) != 0 {
		t.Fatalf("sample: %v %v", err, warnings)
	}
	cfg := Default()
	for _, s := range settings() {
		if v, ok := values[s.name]; ok {
			if err := s.apply(&cfg, v); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
	}
	if cfg.ShutdownTimeout != 25*time.Second || cfg.Addr != ":8080" || !cfg.Demo {
		t.Fatalf("sample does not round-trip to defaults: %+v", cfg)
	}
}

func FuzzParseFile(f *testing.F) {
	f.Add([]byte(Sample()))
	f.Add([]byte("addr=:1\n#x\n bad line"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, _ = ParseFile(data, settings())
	})
}
