// Package storetest owns the behaviour every store.Store implementation must
// share: one table-driven suite, one subtest per behaviour, run against each
// dialect by its package's tests (SQLite always, PostgreSQL when configured).
// Nothing here knows which database is underneath.
package storetest

import (
	"crypto/sha256"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/docentchat/docent/internal/store"
)

// behaviour is one subtest of the suite, run on a fresh, empty store.
type behaviour struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// Run runs the whole suite. open must return a fresh, empty, migrated store
// for each call and arrange (t.Cleanup) to close and discard it.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	all := slices.Concat(channelBehaviours, agentBehaviours, knowledgeBehaviours,
		contactBehaviours, sessionBehaviours, turnBehaviours, restartBehaviours, channelByIDBehaviours, identityBehaviours, ticketBehaviours, stringBehaviours,
		[]behaviour{{"Ping/reachable", func(t *testing.T, s store.Store) {
			mustOK(t, s.Ping(t.Context()))
		}}, {"Clock/reads a clock that moves", testClock}})
	for _, b := range all {
		t.Run(b.name, func(t *testing.T) { b.run(t, open(t)) })
	}
}

// testClock: the store's clock is a real one (the test database runs on this
// host, so within a minute of it), in storage precision, and moves on.
func testClock(t *testing.T, s store.Store) {
	first := must[time.Time](t)(s.Clock(t.Context()))
	if d := time.Since(first); d < -time.Minute || d > time.Minute || !first.Equal(stored(first)) {
		t.Fatalf("clock = %v (%v from this host's), want within a minute, in UTC microseconds", first, d)
	}
	for second := first; !second.After(first); {
		second = must[time.Time](t)(s.Clock(t.Context()))
		if time.Since(first) > 5*time.Second {
			t.Fatalf("the clock stands still at %v", first)
		}
	}
}

// base is a time with nanoseconds and a non-UTC zone: stores must return it
// in UTC truncated to microseconds, the precision both dialects keep.
var base = time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.FixedZone("UTC+2", 2*60*60))

// stored is what a store returns for a time it was given.
func stored(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		mustOK(t, err)
		return v
	}
}

func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// checkID asserts a store-assigned id is a UUIDv7.
func checkID(t *testing.T, what, id string) {
	t.Helper()
	u, err := uuid.Parse(id)
	if err != nil || u.Version() != 7 {
		t.Fatalf("%s id %q is not a UUIDv7 (err %v)", what, id, err)
	}
}

// checkStoredTime asserts a store-assigned time is UTC with at most
// microsecond precision and lies within [from, to] of the wall clock.
func checkStoredTime(t *testing.T, what string, got, from, to time.Time) {
	t.Helper()
	if got.Location() != time.UTC || got.Nanosecond()%1000 != 0 {
		t.Fatalf("%s = %v: want UTC with microsecond precision", what, got)
	}
	if got.Before(from.Truncate(time.Microsecond)) || got.After(to) {
		t.Fatalf("%s = %v, want within [%v, %v]", what, got, from, to)
	}
}

// parallel runs fn n times at once and returns the results in call order.
// All goroutines are released together to maximize contention.
func parallel[T any](n int, fn func(i int) (T, error)) ([]T, []error) {
	results, errs := make([]T, n), make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return results, errs
}

// conversation is a channel with a contact and an open session on it.
type conversation struct {
	channel store.Channel
	contact store.Contact
	session store.Session
}

func tokenHash(name string) []byte {
	h := sha256.Sum256([]byte("session-token:" + name))
	return h[:]
}

func sampleConfig(title string) store.ChannelConfig {
	return store.ChannelConfig{
		Title: title, Greeting: "Hello!", Language: "en", Locales: []string{"en", "fr"},
		Position: "bottom-right", LauncherLabel: "Help", BaseColor: "#123456",
		Persona: store.PersonaCustomer, AllowedOrigins: []string{"https://shop.example"},
		IdentityMode: store.IdentitySigned, IdentityRequired: true, Issuer: "https://shop.example",
		MaxTokenLifetimeSeconds: 300, AgentID: "agent-1",
	}
}

// newConversation creates channel key with a verified contact and one open
// session created at base.
func newConversation(t *testing.T, s store.Store, key string) conversation {
	t.Helper()
	ctx := t.Context()
	var c conversation
	c.channel = must[store.Channel](t)(s.CreateChannel(ctx, key, sampleConfig(key)))
	c.contact = must[store.Contact](t)(s.UpsertContact(ctx, store.Contact{
		ChannelID: c.channel.ID, Kind: store.ContactVerified, ExternalID: "user-" + key,
	}))
	c.session = newSession(t, s, c, key+"-session", base)
	return c
}

func newSession(t *testing.T, s store.Store, c conversation, name string, at time.Time) store.Session {
	t.Helper()
	return must[store.Session](t)(s.CreateSession(t.Context(), store.Session{
		ChannelID: c.channel.ID, ContactID: c.contact.ID, TokenHash: tokenHash(name),
		Status: store.SessionOpen, Language: "en", CreatedAt: at,
	}, nil))
}

// messages returns all of a session's messages.
func messages(t *testing.T, s store.Store, sessionID string) []store.Message {
	t.Helper()
	return must[[]store.Message](t)(s.Messages(t.Context(), sessionID, "", 0))
}
