package storetest

import (
	"testing"
	"time"

	"github.com/docentchat/docent/internal/store"
)

var contactBehaviours = []behaviour{
	{"UpsertContact/creates then finds, replacing attributes", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		ch := must[store.Channel](t)(s.CreateChannel(ctx, "docs", sampleConfig("Docs")))
		in := store.Contact{ChannelID: ch.ID, Kind: store.ContactVerified, ExternalID: "42",
			Attributes: store.ContactAttributes{Email: "a@example.com", Name: "Ann", PlanTier: "pro", Locale: "fr"}}
		first := must[store.Contact](t)(s.UpsertContact(ctx, in))
		checkID(t, "contact", first.ID)
		diff(t, "by id", first, must[store.Contact](t)(s.Contact(ctx, first.ID)))

		in.Attributes = store.ContactAttributes{Name: "Ann B", Company: "Acme"}
		second := must[store.Contact](t)(s.UpsertContact(ctx, in))
		if second.ID != first.ID || !second.CreatedAt.Equal(first.CreatedAt) || second.UpdatedAt.Before(first.UpdatedAt) {
			t.Fatalf("second upsert = %+v, first = %+v", second, first)
		}
		got := must[store.Contact](t)(s.Contact(ctx, first.ID))
		diff(t, "attributes", in.Attributes, got.Attributes)
		diff(t, "returned", second, got)
	}},
	{"UpsertContact/kinds and channels are separate namespaces", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		a := must[store.Channel](t)(s.CreateChannel(ctx, "a", sampleConfig("A")))
		b := must[store.Channel](t)(s.CreateChannel(ctx, "b", sampleConfig("B")))
		ids := map[string]bool{}
		for _, ch := range []store.Channel{a, b} {
			for _, kind := range []store.ContactKind{store.ContactAnonymous, store.ContactVerified, store.ContactDirect} {
				c := must[store.Contact](t)(s.UpsertContact(ctx, store.Contact{ChannelID: ch.ID, Kind: kind, ExternalID: "alice"}))
				ids[c.ID] = true
			}
		}
		if len(ids) != 6 {
			t.Fatalf("got %d distinct contacts for alice, want 6", len(ids))
		}
	}},
	{"Contact/unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		_, err := s.Contact(ctx, "nope")
		wantErr(t, err, store.ErrNotFound)
		_, err = s.UpsertContact(ctx, store.Contact{ChannelID: "no-such-channel", Kind: store.ContactAnonymous, ExternalID: "x"})
		wantErr(t, err, store.ErrNotFound)
	}},
}

var sessionBehaviours = []behaviour{
	{"CreateSession/round trip by id and token hash", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		got := c.session
		checkID(t, "session", got.ID)
		want := store.Session{ID: got.ID, ChannelID: c.channel.ID, ContactID: c.contact.ID,
			TokenHash: tokenHash("docs-session"), Status: store.SessionOpen, Language: "en",
			CreatedAt: stored(base), LastActivityAt: stored(base)}
		diff(t, "created", want, got)
		diff(t, "by id", want, must[store.Session](t)(s.Session(ctx, got.ID)))
		diff(t, "by token hash", want, must[store.Session](t)(s.SessionByTokenHash(ctx, got.TokenHash)))
		if m := messages(t, s, got.ID); len(m) != 0 {
			t.Fatalf("session without greeting has messages: %+v", m)
		}
	}},
	{"CreateSession/keeps an agent override", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		sess := must[store.Session](t)(s.CreateSession(ctx, store.Session{ChannelID: c.channel.ID, ContactID: c.contact.ID,
			TokenHash: tokenHash("agent-override"), Status: store.SessionOpen, CreatedAt: base, AgentID: "agent-b"}, nil))
		if sess.AgentID != "agent-b" {
			t.Fatalf("created AgentID = %q", sess.AgentID)
		}
		for what, got := range map[string]store.Session{
			"by id":         must[store.Session](t)(s.Session(ctx, sess.ID)),
			"by token hash": must[store.Session](t)(s.SessionByTokenHash(ctx, sess.TokenHash)),
		} {
			if got.AgentID != "agent-b" {
				t.Errorf("%s: AgentID = %q, want agent-b", what, got.AgentID)
			}
		}
	}},
	{"CreateSession/greeting is stored as the first message", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		greeting := &store.Message{Role: store.RoleAssistant, Kind: store.KindGreeting,
			Status: store.StatusComplete, Text: "Hi! How can I help?", Language: "en"}
		sess := must[store.Session](t)(s.CreateSession(ctx, store.Session{ChannelID: c.channel.ID,
			ContactID: c.contact.ID, TokenHash: tokenHash("greeted"), Status: store.SessionOpen, CreatedAt: base}, greeting))
		got := messages(t, s, sess.ID)
		if len(got) != 1 {
			t.Fatalf("got %d messages, want the greeting", len(got))
		}
		m := got[0]
		checkID(t, "greeting", m.ID)
		if m.SessionID != sess.ID || m.Kind != store.KindGreeting || m.Role != store.RoleAssistant ||
			m.Status != store.StatusComplete || m.Text != "Hi! How can I help?" || !m.CreatedAt.Equal(stored(base)) {
			t.Fatalf("greeting = %+v", m)
		}
	}},
	{"CreateSession/duplicate token hash is ErrConflict and writes nothing", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		_, err := s.CreateSession(ctx, store.Session{ChannelID: c.channel.ID, ContactID: c.contact.ID,
			TokenHash: c.session.TokenHash, Status: store.SessionOpen},
			&store.Message{Role: store.RoleAssistant, Kind: store.KindGreeting, Status: store.StatusComplete, Text: "Hi"})
		wantErr(t, err, store.ErrConflict)
		if m := messages(t, s, c.session.ID); len(m) != 0 {
			t.Fatalf("failed CreateSession left messages: %+v", m)
		}
		diff(t, "session", c.session, must[store.Session](t)(s.SessionByTokenHash(ctx, c.session.TokenHash)))
	}},
	{"Session/unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		_, err := s.Session(ctx, "nope")
		wantErr(t, err, store.ErrNotFound)
		_, err = s.SessionByTokenHash(ctx, tokenHash("nope"))
		wantErr(t, err, store.ErrNotFound)
		_, err = s.CreateSession(ctx, store.Session{ChannelID: "no-such-channel", TokenHash: tokenHash("x"), Status: store.SessionOpen}, nil)
		wantErr(t, err, store.ErrNotFound)
	}},
	{"LatestSession/filters by contact, channel, status and since", testLatestSession},
	{"SetSessionStatus/escalate then close", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		escalatedAt, closedAt := base.Add(time.Minute), base.Add(2*time.Minute)
		mustOK(t, s.SetSessionStatus(ctx, c.session.ID, store.SessionEscalated, escalatedAt))
		got := must[store.Session](t)(s.Session(ctx, c.session.ID))
		if got.Status != store.SessionEscalated || got.ClosedAt != nil || !got.LastActivityAt.Equal(stored(escalatedAt)) {
			t.Fatalf("after escalation: %+v", got)
		}
		mustOK(t, s.SetSessionStatus(ctx, c.session.ID, store.SessionClosed, closedAt))
		got = must[store.Session](t)(s.Session(ctx, c.session.ID))
		if got.Status != store.SessionClosed || got.ClosedAt == nil || !got.ClosedAt.Equal(stored(closedAt)) {
			t.Fatalf("after close: %+v", got)
		}
		wantErr(t, s.SetSessionStatus(ctx, "nope", store.SessionClosed, closedAt), store.ErrNotFound)
		if err := s.SetSessionStatus(ctx, c.session.ID, "archived", closedAt); err == nil {
			t.Fatal("unknown status accepted")
		}
	}},
	{"SetSessionLanguage/is stored", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		mustOK(t, s.SetSessionLanguage(ctx, c.session.ID, "ar"))
		if got := must[store.Session](t)(s.Session(ctx, c.session.ID)); got.Language != "ar" {
			t.Fatalf("language = %q, want ar", got.Language)
		}
		wantErr(t, s.SetSessionLanguage(ctx, "nope", "ar"), store.ErrNotFound)
	}},
}

func testLatestSession(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := newConversation(t, s, "docs") // its session is open, active at base
	other := newConversation(t, s, "other")
	create := func(name string, status store.SessionStatus, lastActive time.Time) store.Session {
		return must[store.Session](t)(s.CreateSession(ctx, store.Session{ChannelID: c.channel.ID,
			ContactID: c.contact.ID, TokenHash: tokenHash(name), Status: status,
			CreatedAt: lastActive.Add(-time.Minute), LastActivityAt: lastActive}, nil))
	}
	create("open-old", store.SessionOpen, base.Add(-2*time.Hour)) // never the newest open one
	closedRecent := create("closed", store.SessionClosed, base.Add(time.Hour))
	escalatedStale := create("escalated", store.SessionEscalated, base.Add(-30*time.Hour))
	resumable := []store.SessionStatus{store.SessionOpen, store.SessionEscalated}
	any3 := []store.SessionStatus{store.SessionOpen, store.SessionEscalated, store.SessionClosed}
	tests := []struct {
		name     string
		channel  string
		contact  string
		statuses []store.SessionStatus
		since    time.Time
		want     string // session id; "" = ErrNotFound
	}{
		{"most recent resumable", c.channel.ID, c.contact.ID, resumable, base.Add(-24 * time.Hour), c.session.ID},
		{"closed counts when asked", c.channel.ID, c.contact.ID, any3, base.Add(-24 * time.Hour), closedRecent.ID},
		{"since is inclusive", c.channel.ID, c.contact.ID, []store.SessionStatus{store.SessionOpen}, base, c.session.ID},
		{"since excludes older", c.channel.ID, c.contact.ID, []store.SessionStatus{store.SessionEscalated}, base.Add(-24 * time.Hour), ""},
		{"old escalated with a wide window", c.channel.ID, c.contact.ID, []store.SessionStatus{store.SessionEscalated}, base.Add(-48 * time.Hour), escalatedStale.ID},
		{"activity after since, older than the newest", c.channel.ID, c.contact.ID, []store.SessionStatus{store.SessionOpen}, base.Add(-3 * time.Hour), c.session.ID},
		{"other contact", c.channel.ID, other.contact.ID, any3, time.Time{}, ""},
		{"other channel", other.channel.ID, c.contact.ID, any3, time.Time{}, ""},
		{"no status", c.channel.ID, c.contact.ID, nil, time.Time{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.LatestSession(ctx, tc.channel, tc.contact, tc.statuses, tc.since)
			if tc.want == "" {
				wantErr(t, err, store.ErrNotFound)
				return
			}
			mustOK(t, err)
			if got.ID != tc.want {
				t.Fatalf("got session %s, want %s", got.ID, tc.want)
			}
			diff(t, "session", must[store.Session](t)(s.Session(ctx, tc.want)), got)
		})
	}
}
