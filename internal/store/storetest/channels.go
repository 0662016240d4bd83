package storetest

import (
	"testing"
	"time"

	"github.com/docentchat/docent/internal/store"
)

var channelBehaviours = []behaviour{
	{"CreateChannel/round trip", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		before := time.Now()
		created := must[store.Channel](t)(s.CreateChannel(ctx, "docs", sampleConfig("Docs")))
		checkID(t, "channel", created.ID)
		checkStoredTime(t, "CreatedAt", created.CreatedAt, before, time.Now())
		if created.Key != "docs" || created.Published != nil || !created.UpdatedAt.Equal(created.CreatedAt) {
			t.Fatalf("created = %+v", created)
		}
		diff(t, "draft", sampleConfig("Docs"), created.Draft)
		diff(t, "read back", created, must[store.Channel](t)(s.Channel(ctx, "docs")))
	}},
	{"CreateChannel/duplicate key is ErrConflict and changes nothing", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		first := must[store.Channel](t)(s.CreateChannel(ctx, "docs", sampleConfig("First")))
		_, err := s.CreateChannel(ctx, "docs", sampleConfig("Second"))
		wantErr(t, err, store.ErrConflict)
		diff(t, "channel", first, must[store.Channel](t)(s.Channel(ctx, "docs")))
	}},
	{"Channel/unknown key is ErrNotFound everywhere", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		for name, call := range map[string]func() error{
			"Channel":            func() error { _, err := s.Channel(ctx, "nope"); return err },
			"UpdateChannelDraft": func() error { _, err := s.UpdateChannelDraft(ctx, "nope", sampleConfig("x")); return err },
			"PublishChannel":     func() error { _, err := s.PublishChannel(ctx, "nope"); return err },
			"DeleteChannel":      func() error { return s.DeleteChannel(ctx, "nope") },
		} {
			t.Run(name, func(t *testing.T) { wantErr(t, call(), store.ErrNotFound) })
		}
		if got := must[[]store.Channel](t)(s.ListChannels(ctx)); len(got) != 0 {
			t.Fatalf("ListChannels on an empty store = %v", got)
		}
	}},
	{"ListChannels/ordered by key", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		for _, key := range []string{"support", "billing", "docs"} {
			must[store.Channel](t)(s.CreateChannel(ctx, key, sampleConfig(key)))
		}
		must[store.Channel](t)(s.PublishChannel(ctx, "docs"))
		list := must[[]store.Channel](t)(s.ListChannels(ctx))
		var keys []string
		for _, c := range list {
			keys = append(keys, c.Key)
			diff(t, "listed "+c.Key, must[store.Channel](t)(s.Channel(ctx, c.Key)), c)
		}
		diff(t, "keys", []string{"billing", "docs", "support"}, keys)
	}},
	{"UpdateChannelDraft/does not touch the published version", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		must[store.Channel](t)(s.CreateChannel(ctx, "docs", sampleConfig("A")))
		v1 := must[store.Channel](t)(s.PublishChannel(ctx, "docs"))
		updated := must[store.Channel](t)(s.UpdateChannelDraft(ctx, "docs", sampleConfig("B")))
		diff(t, "draft", sampleConfig("B"), updated.Draft)
		diff(t, "published", v1.Published, updated.Published)
		if updated.UpdatedAt.Before(v1.UpdatedAt) || !updated.CreatedAt.Equal(v1.CreatedAt) {
			t.Fatalf("times: created %v→%v, updated %v→%v", v1.CreatedAt, updated.CreatedAt, v1.UpdatedAt, updated.UpdatedAt)
		}
		diff(t, "read back", updated, must[store.Channel](t)(s.Channel(ctx, "docs")))
	}},
	{"PublishChannel/snapshots the draft as consecutive versions", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		must[store.Channel](t)(s.CreateChannel(ctx, "docs", sampleConfig("A")))
		before := time.Now()
		v1 := must[store.Channel](t)(s.PublishChannel(ctx, "docs"))
		if v1.Published == nil || v1.Published.Version != 1 {
			t.Fatalf("first publish = %+v", v1.Published)
		}
		checkStoredTime(t, "PublishedAt", v1.Published.PublishedAt, before, time.Now())
		diff(t, "v1 config", sampleConfig("A"), v1.Published.Config)
		must[store.Channel](t)(s.UpdateChannelDraft(ctx, "docs", sampleConfig("B")))
		v2 := must[store.Channel](t)(s.PublishChannel(ctx, "docs"))
		if v2.Published.Version != 2 || v2.Published.Config.Title != "B" {
			t.Fatalf("second publish = %+v", v2.Published)
		}
		diff(t, "read back", v2, must[store.Channel](t)(s.Channel(ctx, "docs")))
	}},
	{"PublishChannel/concurrent publishes get distinct versions", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		must[store.Channel](t)(s.CreateChannel(ctx, "docs", sampleConfig("A")))
		const n = 8
		results, errs := parallel(n, func(int) (store.Channel, error) { return s.PublishChannel(ctx, "docs") })
		seen := map[int]bool{}
		for i, err := range errs {
			mustOK(t, err)
			seen[results[i].Published.Version] = true
		}
		if len(seen) != n {
			t.Fatalf("versions returned = %v, want %d distinct", seen, n)
		}
		if got := must[store.Channel](t)(s.Channel(ctx, "docs")).Published.Version; got != n {
			t.Fatalf("latest version = %d, want %d", got, n)
		}
	}},
	{"DeleteChannel/cascades to everything scoped to the channel", testDeleteChannelCascades},
}

func testDeleteChannelCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Two channels with the same kinds of data; only one is deleted.
	var convs [2]conversation
	for i, key := range []string{"doomed", "kept"} {
		c := newConversation(t, s, key)
		must[store.Channel](t)(s.PublishChannel(ctx, key))
		turn := must[store.Turn](t)(s.BeginTurn(ctx, store.TurnStart{
			SessionID: c.session.ID, ClientMessageID: "m1", RequestHash: "h1", Text: "hi", At: base,
		}))
		must[store.Message](t)(s.FinishReply(ctx, store.ReplyResult{
			MessageID: turn.Reply.ID, Status: store.StatusComplete, Text: "hello", At: base,
		}))
		must[store.Ticket](t)(s.CreateTicket(ctx, store.Ticket{
			ChannelID: c.channel.ID, SessionID: c.session.ID, ContactID: c.contact.ID,
			Priority: store.PriorityHigh, Trigger: "user_request", Status: "open",
		}))
		convs[i] = c
	}
	doomed, kept := convs[0], convs[1]
	mustOK(t, s.DeleteChannel(ctx, "doomed"))

	_, err := s.Channel(ctx, "doomed")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.Contact(ctx, doomed.contact.ID)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.Session(ctx, doomed.session.ID)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.SessionByTokenHash(ctx, doomed.session.TokenHash)
	wantErr(t, err, store.ErrNotFound)
	if got := messages(t, s, doomed.session.ID); len(got) != 0 {
		t.Fatalf("messages of the deleted channel survive: %v", got)
	}
	if got := must[[]store.Ticket](t)(s.TicketsBySession(ctx, doomed.session.ID)); len(got) != 0 {
		t.Fatalf("tickets of the deleted channel survive: %v", got)
	}
	// The other channel is intact.
	must[store.Channel](t)(s.Channel(ctx, "kept"))
	if got := messages(t, s, kept.session.ID); len(got) != 2 {
		t.Fatalf("kept channel has %d messages, want 2", len(got))
	}
	if got := must[[]store.Ticket](t)(s.TicketsBySession(ctx, kept.session.ID)); len(got) != 1 {
		t.Fatalf("kept channel has %d tickets, want 1", len(got))
	}
	// The key is free again, and the recreated channel's session reuses the
	// deleted session's token hash (same name): nothing of it is left.
	again := newConversation(t, s, "doomed")
	if again.channel.Published != nil {
		t.Fatalf("recreated channel inherits a published version: %+v", again.channel.Published)
	}
	diff(t, "token hash", doomed.session.TokenHash, again.session.TokenHash)
}

var channelByIDBehaviours = []behaviour{
	{"ChannelByID/finds the channel its key finds", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		created := must[store.Channel](t)(s.CreateChannel(ctx, "by-id", store.ChannelConfig{Title: "By id"}))
		must[store.Channel](t)(s.PublishChannel(ctx, "by-id"))
		byKey := must[store.Channel](t)(s.Channel(ctx, "by-id"))
		byID := must[store.Channel](t)(s.ChannelByID(ctx, created.ID))
		diff(t, "channel", byKey, byID)
		_, err := s.ChannelByID(ctx, "no-such-id")
		wantErr(t, err, store.ErrNotFound)
	}},
}
