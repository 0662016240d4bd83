package httpapi_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// Every server in this package also logs into suiteLogs, and every secret,
// token and session id the tests create is registered as a canary. After all
// tests ran, TestMain fails the package if any canary reached any log
// (SECURITY AD-02).
var (
	suiteLogs syncBuffer
	canaries  sync.Map
)

// canary registers a value that must never be logged.
func canary(v string) string {
	if len(v) >= 12 {
		canaries.Store(v, true)
	}
	return v
}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		logs := suiteLogs.String()
		n := 0
		canaries.Range(func(k, _ any) bool {
			n++
			if strings.Contains(logs, k.(string)) {
				fmt.Fprintf(os.Stderr, "AD-02: a secret, token or session id reached the logs (starts %q)\n", k.(string)[:8])
				code = 1
			}
			return true
		})
		// A full run must have exercised the check; a -run subset may not.
		if f := flag.Lookup("test.run"); f != nil && f.Value.String() == "" && (n < 10 || len(logs) < 1000) {
			fmt.Fprintf(os.Stderr, "AD-02: the canary check saw %d canaries and %d bytes of logs: it proves nothing\n", n, len(logs))
			code = 1
		}
	}
	os.Exit(code)
}
