package config

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// setting describes one configuration key: its flag name (also the file key),
// its environment variable, its documentation and how to apply a value.
type setting struct {
	name  string
	env   string
	usage string
	apply func(c *Config, v string) error
	show  func(c Config) string
}

// settings is the single list of every key; flags, environment, file and the
// documented sample are all derived from it so they can never disagree.
func settings() []setting {
	str := func(name, usage string, p func(c *Config) *string) setting {
		return setting{name: name, usage: usage,
			apply: func(c *Config, v string) error { *p(c) = v; return nil },
			show:  func(c Config) string { return *p(&c) }}
	}
	boolean := func(name, usage string, p func(c *Config) *bool) setting {
		return setting{name: name, usage: usage,
			apply: func(c *Config, v string) error {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return fmt.Errorf("want true or false")
				}
				*p(c) = b
				return nil
			},
			show: func(c Config) string { return strconv.FormatBool(*p(&c)) }}
	}
	duration := func(name, usage string, p func(c *Config) *time.Duration) setting {
		return setting{name: name, usage: usage,
			apply: func(c *Config, v string) error {
				d, err := time.ParseDuration(v)
				if err != nil {
					return fmt.Errorf("want a duration such as 25s")
				}
				*p(c) = d
				return nil
			},
			show: func(c Config) string { return p(&c).String() }}
	}
	list := []setting{
		str("addr", "listen address of the public HTTP server (host:port or :port)", func(c *Config) *string { return &c.Addr }),
		{name: "host", usage: "listen host; combined with port into addr",
			apply: func(c *Config, v string) error { c.Addr = joinHostPort(v, portOf(c.Addr)); return nil },
			show:  func(Config) string { return "" }},
		{name: "port", usage: "listen port; combined with host into addr",
			apply: func(c *Config, v string) error {
				if _, err := strconv.Atoi(v); err != nil {
					return fmt.Errorf("want a number")
				}
				c.Addr = joinHostPort(hostOf(c.Addr), v)
				return nil
			},
			show: func(Config) string { return "" }},
		str("data-dir", "directory of the embedded SQLite database and local key file", func(c *Config) *string { return &c.DataDir }),
		str("database-url", "PostgreSQL URL (postgres://user:pass@host/db); empty uses embedded SQLite", func(c *Config) *string { return &c.DatabaseURL }),
		str("base-url", "public URL of this server as browsers reach it; empty derives it from addr", func(c *Config) *string { return &c.BaseURL }),
		str("metrics-addr", "serve /metrics on this separate address instead of the public listener", func(c *Config) *string { return &c.MetricsAddr }),
		{name: "cors-origins", usage: "comma-separated extra origins allowed to call the widget API from browsers (exact origins, no *)",
			apply: func(c *Config, v string) error { c.CORSOrigins = splitList(v); return nil },
			show:  func(c Config) string { return strings.Join(c.CORSOrigins, ",") }},
		boolean("verbose", "debug logs", func(c *Config) *bool { return &c.Verbose }),
		str("log-format", "auto (text on a terminal, JSON otherwise), text or json", func(c *Config) *string { return &c.LogFormat }),
		boolean("demo", "create the demo channel on first start and keep its documentation current", func(c *Config) *bool { return &c.Demo }),
		duration("shutdown-timeout", "how long SIGTERM waits for in-flight requests and streams", func(c *Config) *time.Duration { return &c.ShutdownTimeout }),
		duration("sse-heartbeat", "interval of keep-alive comments on streamed replies (at most 15s)", func(c *Config) *time.Duration { return &c.SSEHeartbeat }),
		duration("answer-pace", "delay between streamed words of the built-in extractive answerer", func(c *Config) *time.Duration { return &c.AnswerPace }),
	}
	for i := range list {
		list[i].env = "DOCENT_" + strings.ToUpper(strings.ReplaceAll(list[i].name, "-", "_"))
	}
	return list
}

// otherKnownEnv are DOCENT_* variables read elsewhere (not boot settings).
var otherKnownEnv = map[string]bool{"DOCENT_CONFIG": true, "DOCENT_TEST_POSTGRES_DSN": true, "DOCENT_SECRET_KEY": true}

// Load builds the configuration from args (flags), environ (KEY=value pairs)
// and the config file named by --config or DOCENT_CONFIG. It returns warnings
// for unknown DOCENT_* variables and unknown file keys.
func Load(fs *flag.FlagSet, args []string, environ []string) (Config, []string, error) {
	cfg := Default()
	var warnings []string
	all := settings()
	flagValues := map[string]string{}
	var configPath string
	fs.StringVar(&configPath, "config", "", "path to a config file (key = value lines; see `docent config default`)")
	for _, s := range all {
		name := s.name
		fs.Func(name, s.usage+" (env "+s.env+")", func(v string) error { flagValues[name] = v; return nil })
	}
	if err := fs.Parse(args); err != nil {
		return cfg, nil, err
	}
	env := map[string]string{}
	known := map[string]bool{}
	for _, s := range all {
		known[s.env] = true
	}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "DOCENT_") {
			continue
		}
		if !known[k] && !otherKnownEnv[k] {
			warnings = append(warnings, "unknown environment variable "+k+" (ignored)")
			continue
		}
		env[k] = v
	}
	if configPath == "" {
		configPath = env["DOCENT_CONFIG"]
	}
	fileValues := map[string]string{}
	if configPath != "" {
		data, err := os.ReadFile(configPath)
		if err != nil {
			return cfg, warnings, fmt.Errorf("config file: %w", err)
		}
		var fileWarnings []string
		fileValues, fileWarnings, err = ParseFile(data, all)
		if err != nil {
			return cfg, warnings, fmt.Errorf("config file %s: %w", configPath, err)
		}
		warnings = append(warnings, fileWarnings...)
	}
	// Apply in increasing precedence: file, then environment, then flags.
	for _, layer := range []struct {
		values map[string]string
		key    func(setting) string
		what   string
	}{
		{fileValues, func(s setting) string { return s.name }, "config file key"},
		{env, func(s setting) string { return s.env }, "environment variable"},
		{flagValues, func(s setting) string { return s.name }, "flag --"},
	} {
		for _, s := range all {
			v, ok := layer.values[layer.key(s)]
			if !ok {
				continue
			}
			if err := s.apply(&cfg, strings.TrimSpace(v)); err != nil {
				return cfg, warnings, fmt.Errorf("%s%s: %v", layer.what, layer.key(s), err)
			}
		}
	}
	cfg.SecretKey = env["DOCENT_SECRET_KEY"]
	if err := cfg.Validate(); err != nil {
		return cfg, warnings, err
	}
	sort.Strings(warnings)
	return cfg, warnings, nil
}

// ParseFile reads `key = value` lines; `#` starts a comment line. Keys are the
// flag names. Unknown keys are returned as warnings, malformed lines as errors.
func ParseFile(data []byte, all []setting) (map[string]string, []string, error) {
	known := map[string]bool{}
	for _, s := range all {
		known[s.name] = true
	}
	values := map[string]string{}
	var warnings []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, nil, fmt.Errorf("line %d: want key = value", n)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		v = strings.Trim(v, `"`)
		if !known[k] {
			warnings = append(warnings, fmt.Sprintf("unknown config key %q on line %d (ignored)", k, n))
			continue
		}
		values[k] = v
	}
	return values, warnings, sc.Err()
}

// Sample returns a documented config file with every key at its default.
func Sample() string {
	var b strings.Builder
	b.WriteString("# Docent configuration. Every key can also be given as a flag of\n")
	b.WriteString("# `docent serve` (--key) or an environment variable (DOCENT_KEY).\n")
	b.WriteString("# Precedence: flags > environment > this file > defaults.\n")
	b.WriteString("# Use it with: docent serve --config docent.conf\n\n")
	def := Default()
	for _, s := range settings() {
		if s.name == "host" || s.name == "port" {
			continue
		}
		fmt.Fprintf(&b, "# %s (env %s)\n%s = %s\n\n", s.usage, s.env, s.name, s.show(def))
	}
	return b.String()
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func hostOf(addr string) string {
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		return addr[:i]
	}
	return addr
}

func portOf(addr string) string {
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		return addr[i+1:]
	}
	return "8080"
}

func joinHostPort(host, port string) string {
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		host = "[" + host + "]"
	}
	return host + ":" + port
}
