// Package config owns Docent's boot configuration: one typed struct with
// defaults in code, filled from (highest first) command-line flags, DOCENT_*
// environment variables, an optional config file, and the defaults. It is
// validated once, early, so that a bad setting stops the binary at start with a
// clear message instead of failing on the first request.
package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/docentchat/docent/internal/origin"
)

// Config is everything `docent serve` needs to boot.
type Config struct {
	// Addr is the listen address of the public HTTP server.
	Addr string
	// DataDir holds the SQLite database and the local secret key file.
	DataDir string
	// DatabaseURL selects PostgreSQL (postgres://…); empty means embedded SQLite in DataDir.
	DatabaseURL string
	// BaseURL is the public URL of this server as browsers reach it; empty derives it from Addr.
	BaseURL string
	// MetricsAddr, when set, serves /metrics on its own listener instead of the public one.
	MetricsAddr string
	// CORSOrigins are extra origins allowed to call the widget API from a browser on every channel.
	CORSOrigins []string
	// Verbose turns on debug logs.
	Verbose bool
	// LogFormat is auto (text on a terminal, JSON otherwise), text or json.
	LogFormat string
	// Demo creates the demo channel on first start and keeps its documentation current.
	Demo bool
	// ShutdownTimeout bounds the graceful drain on SIGTERM.
	ShutdownTimeout time.Duration
	// SecretKey (env DOCENT_SECRET_KEY only, base64 of 32 bytes) protects
	// channel signing secrets at rest; empty uses data-dir/secret.key. Every
	// instance sharing a PostgreSQL database needs the same key.
	SecretKey string
	// SSEHeartbeat is the interval of keep-alive comments on reply streams (≤ 15 s).
	SSEHeartbeat time.Duration
	// AnswerPace is the delay between streamed deltas of the built-in extractive answerer.
	AnswerPace time.Duration
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		Addr:            ":8080",
		DataDir:         "./data",
		LogFormat:       "auto",
		Demo:            true,
		ShutdownTimeout: 25 * time.Second,
		AnswerPace:      15 * time.Millisecond,
		SSEHeartbeat:    15 * time.Second,
	}
}

// Validate checks the configuration and fills derived values.
func (c *Config) Validate() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("addr %q: want host:port or :port: %v", c.Addr, err)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("addr %q: bad port", c.Addr)
	}
	if c.DataDir == "" && c.DatabaseURL == "" {
		return fmt.Errorf("data-dir must not be empty")
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return fmt.Errorf("database-url: want postgres://… (the password is not shown here)")
		}
	}
	if c.BaseURL == "" {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return fmt.Errorf("base-url %q: want an origin such as https://chat.example.com", c.BaseURL)
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("metrics-addr %q: %v", c.MetricsAddr, err)
		}
	}
	for _, o := range c.CORSOrigins {
		if o == "*" {
			return fmt.Errorf("cors-origins: \"*\" is not allowed; list exact origins")
		}
	}
	origins, err := origin.ParseList(c.CORSOrigins)
	if err != nil {
		return fmt.Errorf("cors-origins: %v", err)
	}
	c.CORSOrigins = origins
	switch c.LogFormat {
	case "auto", "text", "json":
	default:
		return fmt.Errorf("log-format %q: want auto, text or json", c.LogFormat)
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("shutdown-timeout must be positive")
	}
	if c.SSEHeartbeat <= 0 || c.SSEHeartbeat > 15*time.Second {
		return fmt.Errorf("sse-heartbeat must be between 1ms and 15s (proxies close quiet streams)")
	}
	if c.AnswerPace < 0 {
		return fmt.Errorf("answer-pace must not be negative")
	}
	return nil
}
