package storetest

import (
	"testing"

	"github.com/docentchat/docent/internal/store"
)

// hostile are strings that would break SQL built by concatenation, LIKE
// patterns, JSON encoding or byte-oriented code (SECURITY ST-01).
var hostile = []string{
	`'; DROP TABLE channels; --`,
	`" OR 1=1 --`,
	`100% _match_ \ backslash`,
	`{"json":"in text"} [1,2]`,
	"multi\nline\ttabs\r\n",
	"emoji 🧪 مرحبا 日本語 ñ",
}

var stringBehaviours = []behaviour{
	{"Strings/SQL and JSON metacharacters round-trip untouched", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		for i, text := range hostile {
			key := []string{"k0", "k1", "k2", "k3", "k4", "k5"}[i]
			cfg := sampleConfig(text)
			cfg.Greeting, cfg.AllowedOrigins = text, []string{text}
			ch := must[store.Channel](t)(s.CreateChannel(ctx, key, cfg))
			diff(t, "config", cfg, must[store.Channel](t)(s.Channel(ctx, key)).Draft)
			contact := must[store.Contact](t)(s.UpsertContact(ctx, store.Contact{ChannelID: ch.ID,
				Kind: store.ContactDirect, ExternalID: text, Attributes: store.ContactAttributes{Name: text}}))
			diff(t, "contact", contact, must[store.Contact](t)(s.Contact(ctx, contact.ID)))
			c := conversation{channel: ch, contact: contact}
			c.session = newSession(t, s, c, key, base)
			turn := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, text, text, base)))
			reply := must[store.Message](t)(s.FinishReply(ctx, store.ReplyResult{MessageID: turn.Reply.ID,
				Status: store.StatusComplete, Text: text, Sources: []store.Source{{Title: text, Snippet: text}}, At: base}))
			diff(t, "transcript", []store.Message{turn.UserMessage, reply}, messages(t, s, c.session.ID))
			coll := must[store.Collection](t)(s.EnsureCollection(ctx, text))
			doc, _, err := s.PutDocument(ctx, sampleDocument(coll.ID, text, text), []store.Chunk{{HeadingPath: []string{text}, Text: text}})
			mustOK(t, err)
			chunks := must[[]store.Chunk](t)(s.Chunks(ctx, coll.ID))
			if len(chunks) != 1 || chunks[0].Text != text || chunks[0].Source != text || chunks[0].HeadingPath[0] != text || chunks[0].DocumentID != doc.ID {
				t.Fatalf("chunk = %+v", chunks)
			}
		}
		if got := must[[]store.Channel](t)(s.ListChannels(ctx)); len(got) != len(hostile) {
			t.Fatalf("%d channels, want %d", len(got), len(hostile))
		}
	}},
}
