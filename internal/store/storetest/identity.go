package storetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/store"
)

var identityBehaviours = []behaviour{
	{"RotateChannelSecret/the previous secret stays valid through its grace window only", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		ch := must[store.Channel](t)(s.CreateChannel(ctx, "rot", store.ChannelConfig{Title: "x"}))
		sec := func(b byte) store.ChannelSecret {
			return store.ChannelSecret{ChannelID: ch.ID, Kind: store.SecretSigning, Ciphertext: []byte{b}, Hint: "h" + string('0'+b), CreatedAt: base}
		}
		mustOK(t, s.RotateChannelSecret(ctx, sec(1), base))
		mustOK(t, s.RotateChannelSecret(ctx, sec(2), base.Add(time.Hour)))
		got := must[[]store.ChannelSecret](t)(s.ChannelSecrets(ctx, ch.ID, store.SecretSigning, base.Add(time.Minute)))
		if len(got) != 2 || got[0].Ciphertext[0] != 2 || got[0].ExpiresAt != nil || got[1].Ciphertext[0] != 1 || got[1].ExpiresAt == nil {
			t.Fatalf("inside grace: %+v", got)
		}
		after := must[[]store.ChannelSecret](t)(s.ChannelSecrets(ctx, ch.ID, store.SecretSigning, base.Add(2*time.Hour)))
		if len(after) != 1 || after[0].Ciphertext[0] != 2 {
			t.Fatalf("after grace: %+v", after)
		}
		// A third rotation ends the first secret's grace at once: only one previous secret is honoured.
		mustOK(t, s.RotateChannelSecret(ctx, sec(3), time.Now().Add(time.Hour)))
		now := must[[]store.ChannelSecret](t)(s.ChannelSecrets(ctx, ch.ID, store.SecretSigning, time.Now()))
		if len(now) != 2 || now[0].Ciphertext[0] != 3 || now[1].Ciphertext[0] != 2 {
			t.Fatalf("after third rotation: %+v", now)
		}
		if apps := must[[]store.ChannelSecret](t)(s.ChannelSecrets(ctx, ch.ID, store.SecretApp, time.Now())); len(apps) != 0 {
			t.Fatalf("kinds leak into each other: %+v", apps)
		}
	}},
	{"RotateChannelSecret/unknown channel is ErrNotFound and writes nothing", func(t *testing.T, s store.Store) {
		err := s.RotateChannelSecret(t.Context(), store.ChannelSecret{ChannelID: "nope", Kind: store.SecretApp, Hash: []byte{1}}, base)
		wantErr(t, err, store.ErrNotFound)
	}},
	{"UseAssertion/exactly one of 50 parallel uses succeeds", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		ch := must[store.Channel](t)(s.CreateChannel(ctx, "jti", store.ChannelConfig{Title: "x"}))
		var wins, replays atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				err := s.UseAssertion(ctx, ch.ID, "https://issuer.example", "j-1", time.Now().Add(5*time.Minute), time.Now())
				switch {
				case err == nil:
					wins.Add(1)
				case isErr(err, store.ErrConflict):
					replays.Add(1)
				default:
					t.Errorf("unexpected error: %v", err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 || replays.Load() != 49 {
			t.Fatalf("wins %d replays %d", wins.Load(), replays.Load())
		}
		// The key is (channel, issuer, jti): another issuer or channel may use the same jti.
		mustOK(t, s.UseAssertion(ctx, ch.ID, "", "j-1", time.Now().Add(time.Minute), time.Now()))
		other := must[store.Channel](t)(s.CreateChannel(ctx, "jti-2", store.ChannelConfig{Title: "x"}))
		mustOK(t, s.UseAssertion(ctx, other.ID, "https://issuer.example", "j-1", time.Now().Add(time.Minute), time.Now()))
	}},
	{"UseAssertion/expired records are pruned, live ones are not", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		ch := must[store.Channel](t)(s.CreateChannel(ctx, "prune", store.ChannelConfig{Title: "x"}))
		mustOK(t, s.UseAssertion(ctx, ch.ID, "", "old", base.Add(time.Minute), base))
		mustOK(t, s.UseAssertion(ctx, ch.ID, "", "live", base.Add(time.Hour), base))
		later := base.Add(2 * time.Minute)
		mustOK(t, s.UseAssertion(ctx, ch.ID, "", "old", later.Add(time.Minute), later))
		wantErr(t, s.UseAssertion(ctx, ch.ID, "", "live", later.Add(time.Minute), later), store.ErrConflict)
	}},
	{"SetSessionToken/the old credential stops working", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		fresh := tokenHash("fresh")
		mustOK(t, s.SetSessionToken(ctx, c.session.ID, fresh))
		_, err := s.SessionByTokenHash(ctx, c.session.TokenHash)
		wantErr(t, err, store.ErrNotFound)
		if got := must[store.Session](t)(s.SessionByTokenHash(ctx, fresh)); got.ID != c.session.ID {
			t.Fatalf("new credential finds %s", got.ID)
		}
		wantErr(t, s.SetSessionToken(ctx, "nope", tokenHash("x")), store.ErrNotFound)
	}},
	{"AddSessionToken/every tab's credential works until SetSessionToken revokes them all", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		other := newConversation(t, s, "help")
		tabs := [][]byte{tokenHash("tab-2"), tokenHash("tab-3")}
		for _, h := range tabs {
			mustOK(t, s.AddSessionToken(ctx, c.session.ID, h, base))
		}
		for i, h := range append([][]byte{c.session.TokenHash}, tabs...) {
			if got := must[store.Session](t)(s.SessionByTokenHash(ctx, h)); got.ID != c.session.ID {
				t.Fatalf("credential %d finds %s, want %s", i, got.ID, c.session.ID)
			}
		}
		if got := must[store.Session](t)(s.SessionByTokenHash(ctx, other.session.TokenHash)); got.ID != other.session.ID {
			t.Fatalf("another session's credential finds %s", got.ID)
		}
		wantErr(t, s.AddSessionToken(ctx, "nope", tokenHash("x"), base), store.ErrNotFound)
		wantErr(t, s.AddSessionToken(ctx, other.session.ID, tabs[0], base), store.ErrConflict) // a credential names one session

		mustOK(t, s.SetSessionToken(ctx, c.session.ID, tokenHash("after-logout")))
		for _, h := range append([][]byte{c.session.TokenHash}, tabs...) {
			_, err := s.SessionByTokenHash(ctx, h)
			wantErr(t, err, store.ErrNotFound)
		}
		if got := must[store.Session](t)(s.SessionByTokenHash(ctx, other.session.TokenHash)); got.ID != other.session.ID {
			t.Fatalf("revoking one session's credentials touched another's: %s", got.ID)
		}
	}},
	{"RevokeContactCredentials/every credential of every session of the contact, no one else's", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		ended := newSession(t, s, c, "ended", base) // an earlier conversation of the same user
		mustOK(t, s.SetSessionStatus(ctx, ended.ID, store.SessionClosed, base))
		mustOK(t, s.AddSessionToken(ctx, c.session.ID, tokenHash("tab-2"), base))
		mustOK(t, s.AddSessionToken(ctx, ended.ID, tokenHash("ended-tab-2"), base))
		other := newConversation(t, s, "help")
		mustOK(t, s.AddSessionToken(ctx, other.session.ID, tokenHash("other-tab-2"), base))

		mustOK(t, s.RevokeContactCredentials(ctx, c.contact.ID))
		for _, h := range [][]byte{c.session.TokenHash, tokenHash("tab-2"), ended.TokenHash, tokenHash("ended-tab-2")} {
			_, err := s.SessionByTokenHash(ctx, h)
			wantErr(t, err, store.ErrNotFound)
		}
		for _, h := range [][]byte{other.session.TokenHash, tokenHash("other-tab-2")} {
			if got := must[store.Session](t)(s.SessionByTokenHash(ctx, h)); got.ID != other.session.ID {
				t.Fatalf("another contact's credential finds %s", got.ID)
			}
		}
		// The conversations themselves are kept, as they were.
		if got := must[store.Session](t)(s.Session(ctx, c.session.ID)); got.Status != store.SessionOpen {
			t.Fatalf("the open conversation is %s", got.Status)
		}
		mustOK(t, s.RevokeContactCredentials(ctx, "no-such-contact")) // nothing to revoke
	}},
	{"AddSessionToken/keeps the newest MaxSessionTokens", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		var added [][]byte
		for i := range store.MaxSessionTokens + 2 {
			h := tokenHash(fmt.Sprintf("tab-%d", i))
			mustOK(t, s.AddSessionToken(ctx, c.session.ID, h, base.Add(time.Duration(i)*time.Minute)))
			added = append(added, h)
		}
		for i, h := range added {
			_, err := s.SessionByTokenHash(ctx, h)
			if i < 2 {
				wantErr(t, err, store.ErrNotFound)
			} else if err != nil {
				t.Fatalf("tab %d of %d: %v", i, len(added), err)
			}
		}
		// The session's own credential is not one of the added ones: it stays.
		if got := must[store.Session](t)(s.SessionByTokenHash(ctx, c.session.TokenHash)); got.ID != c.session.ID {
			t.Fatalf("the first credential finds %s", got.ID)
		}
	}},
}

func isErr(err, target error) bool { return errors.Is(err, target) }
