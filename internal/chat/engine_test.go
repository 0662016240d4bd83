package chat_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/assistant"
	"github.com/docentchat/docent/internal/assistant/extractive"
	"github.com/docentchat/docent/internal/chat"
	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/knowledge"
	"github.com/docentchat/docent/internal/store"
	"github.com/docentchat/docent/internal/store/sqlstore"
)

type fixture struct {
	engine *chat.Engine
	store  store.Store
	now    time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "docent.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	col, _ := st.EnsureCollection(ctx, "docs")
	agent, err := st.CreateAgent(ctx, store.Agent{Name: "a", Provider: "extractive", CollectionID: col.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"alpha", "beta"} {
		if _, err := st.CreateChannel(ctx, key, store.ChannelConfig{Title: key, Persona: store.PersonaPublic, AgentID: agent.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PublishChannel(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{now: time.Now().UTC(), store: st}
	f.engine = chat.New(chat.Options{Store: st, Retriever: knowledge.NewIndex(),
		Providers: map[string]assistant.Provider{"extractive": extractive.New(extractive.Options{})},
		Now:       func() time.Time { return f.now }})
	return f
}

func (f *fixture) init(t *testing.T, key, token string) chat.SessionView {
	t.Helper()
	v, err := f.engine.Init(context.Background(), chat.InitRequest{ChannelKey: key, SessionToken: token})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestAS02_AnonymousResumeWindow: resumed at 23h59m of inactivity, a new
// session at 24h+1s, and the old credential then opens nothing.
func TestAS02_AnonymousResumeWindow(t *testing.T) {
	f := newFixture(t)
	first := f.init(t, "alpha", "")
	f.now = f.now.Add(23*time.Hour + 59*time.Minute)
	if v := f.init(t, "alpha", first.Token); !v.Resumed || v.Session.ID != first.Session.ID {
		t.Fatalf("at 23h59m: resumed=%v", v.Resumed)
	}
	// The resume itself is not activity; a message is.
	if _, err := f.engine.Send(context.Background(), chat.SendRequest{SessionToken: first.Token, Text: "hello"}, nopSink{}); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(24*time.Hour + time.Second)
	v := f.init(t, "alpha", first.Token)
	if v.Resumed || v.Session.ID == first.Session.ID || len(v.Messages) != 1 {
		t.Fatalf("at 24h+1s: resumed=%v same=%v", v.Resumed, v.Session.ID == first.Session.ID)
	}
	// Every call of the expired credential is refused, and changes nothing.
	ctx := context.Background()
	calls := []struct {
		name string
		call func() error
	}{
		{"send", func() error {
			_, err := f.engine.Send(ctx, chat.SendRequest{SessionToken: first.Token, Text: "still there?"}, nopSink{})
			return err
		}},
		{"messages", func() error { _, err := f.engine.Messages(ctx, first.Token, "", 50); return err }},
		{"close", func() error { _, err := f.engine.Close(ctx, first.Token); return err }},
		{"new chat", func() error { _, err := f.engine.NewChat(ctx, first.Token, ""); return err }},
		{"logout", func() error { return f.engine.Logout(ctx, first.Token) }},
	}
	for _, c := range calls {
		if err := c.call(); errs.CodeOf(err) != "session_invalid" {
			t.Errorf("%s with the expired credential: %v, want session_invalid", c.name, err)
		}
	}
	if s, err := f.store.Session(ctx, first.Session.ID); err != nil || s.Status == store.SessionClosed {
		t.Errorf("the expired session must be left as it was: %+v (%v)", s, err)
	}
}

// TestIdentityRequiredOnEveryCall: a guest's session on a channel that
// later requires identity can neither chat nor start a new chat.
func TestIdentityRequiredOnEveryCall(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	guest := f.init(t, "alpha", "")
	ch, err := f.store.Channel(ctx, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	cfg := ch.Draft
	cfg.IdentityMode, cfg.IdentityRequired = store.IdentitySigned, true
	if _, err := f.store.UpdateChannelDraft(ctx, "alpha", cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.PublishChannel(ctx, "alpha"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.engine.Send(ctx, chat.SendRequest{SessionToken: guest.Token, ClientMessageID: "m1", Text: "hello"}, nopSink{}); errs.CodeOf(err) != "identity_required" {
		t.Errorf("send: %v, want identity_required", err)
	}
	if _, err := f.engine.NewChat(ctx, guest.Token, ""); errs.CodeOf(err) != "identity_required" {
		t.Errorf("new chat: %v, want identity_required", err)
	}
	if msgs, err := f.engine.Messages(ctx, guest.Token, "", 50); err != nil || len(msgs) != 1 {
		t.Errorf("nothing may have been written: %d messages (%v)", len(msgs), err)
	}
}

// TestAS03_TokenOfAnotherChannel starts a new session instead of resuming.
func TestAS03_TokenOfAnotherChannel(t *testing.T) {
	f := newFixture(t)
	a := f.init(t, "alpha", "")
	b := f.init(t, "beta", a.Token)
	if b.Resumed || b.Session.ID == a.Session.ID || b.Session.ChannelID == a.Session.ChannelID {
		t.Fatal("a token of channel alpha resumed a session on beta")
	}
}

type nopSink struct{}

func (nopSink) Start(string, store.Kind) error { return nil }
func (nopSink) Delta(string) error             { return nil }
func (nopSink) Sources([]store.Source) error   { return nil }

// TestRefusedSendWritesNothing: a message refused for reusing another
// message's client_message_id changes nothing, not even the session's
// language it asked for.
func TestRefusedSendWritesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	v := f.init(t, "alpha", "")
	if _, err := f.engine.Send(ctx, chat.SendRequest{SessionToken: v.Token, ClientMessageID: "k1", Text: "How do I embed the widget?"}, nopSink{}); err != nil {
		t.Fatal(err)
	}
	_, err := f.engine.Send(ctx, chat.SendRequest{SessionToken: v.Token, ClientMessageID: "k1", Text: "something else", Language: "fr"}, nopSink{})
	if errs.CodeOf(err) != "idempotency_key_reused" {
		t.Fatalf("reused key: %v", err)
	}
	if s, err := f.store.Session(ctx, v.Session.ID); err != nil || s.Language != v.Session.Language {
		t.Errorf("the refused send changed the session language to %q (was %q; %v)", s.Language, v.Session.Language, err)
	}
	// An accepted one with a language sets it.
	if _, err := f.engine.Send(ctx, chat.SendRequest{SessionToken: v.Token, ClientMessageID: "k2", Text: "Et en français ?", Language: "fr"}, nopSink{}); err != nil {
		t.Fatal(err)
	}
	if s, err := f.store.Session(ctx, v.Session.ID); err != nil || s.Language != "fr" {
		t.Errorf("an accepted send with language fr left the session in %q (%v)", s.Language, err)
	}
}
