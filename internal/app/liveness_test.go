package app

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/store"
	"github.com/docentchat/docent/internal/store/sqlstore"
)

// streamingReply starts a turn whose reply instance owner streams, in a
// session of its own.
func streamingReply(t *testing.T, st *sqlstore.Store, owner string) store.Turn {
	t.Helper()
	ctx := t.Context()
	ch, err := st.CreateChannel(ctx, "live-"+owner, store.ChannelConfig{Title: "x", Persona: store.PersonaPublic})
	if err != nil {
		t.Fatal(err)
	}
	contact, err := st.UpsertContact(ctx, store.Contact{ChannelID: ch.ID, Kind: store.ContactAnonymous, ExternalID: owner})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	s, err := st.CreateSession(ctx, store.Session{ChannelID: ch.ID, ContactID: contact.ID, TokenHash: bytes.Repeat([]byte(owner[:1]), 32),
		Status: store.SessionOpen, CreatedAt: now, LastActivityAt: now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	turn, err := st.BeginTurn(ctx, store.TurnStart{Owner: owner, SessionID: s.ID, Text: "are you there?", RequestHash: "h", At: now})
	if err != nil {
		t.Fatal(err)
	}
	return turn
}

func replyStatus(t *testing.T, st *sqlstore.Store, turn store.Turn) store.MessageStatus {
	t.Helper()
	msgs, err := st.Messages(t.Context(), turn.Reply.SessionID, "", 10)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("messages: %v %+v", err, msgs)
	}
	return msgs[1].Status
}

// TestR18_SweepSparesLiveInstances: instances sharing a database. One that
// starts leaves another's live reply streaming; once an instance stops
// beating, a running one's periodic sweep ends its reply, and only its.
func TestR18_SweepSparesLiveInstances(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := testConfig(t, t.TempDir())
	st, err := OpenStore(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var running sync.WaitGroup
	defer func() {
		cancel()
		running.Wait()
		_ = st.Close()
	}()
	// "other" is live when "self" starts; self streams a reply of its own.
	others := streamingReply(t, st, "other")
	self := newLiveness(st, "self", false, slog.New(slog.DiscardHandler))
	self.beat, self.sweep, self.ttl = 50*time.Millisecond, 100*time.Millisecond, 2*time.Second
	if err := st.Heartbeat(ctx, "other", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := self.start(ctx); err != nil {
		t.Fatal(err)
	}
	own := streamingReply(t, st, "self")
	if got := replyStatus(t, st, others); got != store.StatusStreaming {
		t.Fatalf("starting instance ended a live instance's reply: %s", got)
	}
	// "other" never beats again: self's sweep ends its reply once the TTL
	// has passed, and keeps its own.
	running.Go(func() { self.run(ctx) })
	deadline := time.Now().Add(10 * time.Second)
	for replyStatus(t, st, others) == store.StatusStreaming {
		if time.Now().After(deadline) {
			t.Fatal("the stopped instance's reply is still streaming")
		}
		time.Sleep(20 * time.Millisecond) // polling the database: the sweep runs on its own ticker
	}
	if got := replyStatus(t, st, others); got != store.StatusInterrupted {
		t.Fatalf("stopped instance's reply: %s", got)
	}
	if got := replyStatus(t, st, own); got != store.StatusStreaming {
		t.Fatalf("the sweeping instance ended its own live reply: %s", got)
	}
}
