package ratelimit

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestKeyedBurstAndIsolation(t *testing.T) {
	k := New(time.Hour, 3)
	for i := range 3 {
		if !k.Allow("a") {
			t.Fatalf("request %d refused within the burst", i)
		}
	}
	if k.Allow("a") || k.Begin("a") {
		t.Fatal("fourth request allowed")
	}
	if !k.Allow("b") {
		t.Fatal("keys are not isolated")
	}
	if d := k.RetryAfter("a"); d < 59*time.Minute {
		t.Fatalf("retry after %v", d)
	}
}

func TestKeyedBoundedUnderRace(t *testing.T) {
	k := New(time.Minute, 1)
	k.maxKeys = 100
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				k.Allow(strconv.Itoa(g*1000 + i))
			}
		})
	}
	wg.Wait()
	if n := len(k.keys); n > 100 {
		t.Fatalf("%d keys kept, limit 100", n)
	}
}

// TestKeyedBeginCountsWhatIsInFlight: actions checked in parallel, none
// charged yet, cannot all pass: Begin counts those in flight. End frees
// what did not count and charges what did.
func TestKeyedBeginCountsWhatIsInFlight(t *testing.T) {
	k := New(time.Hour, 5)
	var mu sync.Mutex
	passed := 0
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if k.Begin("ip") {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if passed != 5 {
		t.Fatalf("%d of 50 parallel actions passed a burst of 5", passed)
	}
	k.End("ip", false) // did not count: its token is free again
	if !k.Begin("ip") {
		t.Fatal("a token freed by End(false) is not available")
	}
	for range 5 {
		k.End("ip", true)
	}
	if k.Begin("ip") {
		t.Fatal("five charged actions should exhaust a burst of five")
	}
}
