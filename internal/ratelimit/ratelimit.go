// Package ratelimit owns Docent's in-process limits: keyed token buckets
// (per IP, per app id…) with a bounded number of keys, so that floods of
// distinct keys cannot grow memory without limit. Limits are per instance;
// behind a load balancer each instance enforces its own share.
package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Keyed is a set of token buckets, one per key, all with the same rate.
type Keyed struct {
	mu      sync.Mutex
	every   time.Duration
	burst   int
	maxKeys int
	keys    map[string]*rate.Limiter
	pending map[string]int // Begin without End yet, per key
}

// New returns buckets that hold burst tokens and regain one every interval.
func New(every time.Duration, burst int) *Keyed {
	return &Keyed{every: every, burst: burst, maxKeys: 100_000, keys: map[string]*rate.Limiter{}, pending: map[string]int{}}
}

func (k *Keyed) limiter(key string) *rate.Limiter {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.limiterLocked(key)
}

// Begin reserves a token for an action whose outcome decides whether it
// counts (a session created, not resumed; a session id that was unknown).
// It reports false when the key has none left, counting the actions still
// in flight, so that parallel requests cannot all pass a check that none
// of them has been charged for yet. Every Begin that returns true needs
// its End.
func (k *Keyed) Begin(key string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.limiterLocked(key).Tokens()-float64(k.pending[key]) < 1 {
		return false
	}
	k.pending[key]++
	return true
}

// End ends what Begin reserved, charging the token when the action counted.
func (k *Keyed) End(key string, counted bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if n := k.pending[key] - 1; n > 0 {
		k.pending[key] = n
	} else {
		delete(k.pending, key)
	}
	if counted {
		k.limiterLocked(key).AllowN(time.Now(), 1)
	}
}

func (k *Keyed) limiterLocked(key string) *rate.Limiter {
	l, ok := k.keys[key]
	if !ok {
		if len(k.keys) >= k.maxKeys {
			// Forgetting every key at once is crude but bounded; an attacker
			// who rotates 100 000 keys gains one burst per key, not unbounded memory.
			k.keys = map[string]*rate.Limiter{}
		}
		l = rate.NewLimiter(rate.Every(k.every), k.burst)
		k.keys[key] = l
	}
	return l
}

// Allow takes a token for key if one is available.
func (k *Keyed) Allow(key string) bool { return k.limiter(key).Allow() }

// RetryAfter is how long until key regains a token.
func (k *Keyed) RetryAfter(key string) time.Duration {
	l := k.limiter(key)
	r := l.Reserve()
	d := r.Delay()
	r.Cancel()
	if d < time.Second {
		d = time.Second
	}
	return d
}
