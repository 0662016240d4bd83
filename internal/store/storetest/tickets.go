package storetest

import (
	"regexp"
	"testing"

	"github.com/docentchat/docent/internal/store"
)

var ticketNumber = regexp.MustCompile(`^T-[1-9][0-9]*$`)

func sampleTicket(c conversation, summary string) store.Ticket {
	return store.Ticket{ChannelID: c.channel.ID, SessionID: c.session.ID, ContactID: c.contact.ID,
		Priority: store.PriorityCritical, Trigger: "user_request", Status: "open", Summary: summary, CreatedAt: base}
}

var ticketBehaviours = []behaviour{
	{"CreateTicket/numbers start at T-1001 and increase", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		first := must[store.Ticket](t)(s.CreateTicket(ctx, sampleTicket(c, "wants a human")))
		second := must[store.Ticket](t)(s.CreateTicket(ctx, sampleTicket(c, "again")))
		checkID(t, "ticket", first.ID)
		if first.Number != "T-1001" || second.Number != "T-1002" {
			t.Fatalf("numbers %q, %q; want T-1001, T-1002", first.Number, second.Number)
		}
		want := sampleTicket(c, "wants a human")
		want.ID, want.Number, want.CreatedAt, want.UpdatedAt = first.ID, "T-1001", stored(base), stored(base)
		diff(t, "created", want, first)
		diff(t, "by session", []store.Ticket{first, second}, must[[]store.Ticket](t)(s.TicketsBySession(ctx, c.session.ID)))
	}},
	{"CreateTicket/30 concurrent tickets get 30 distinct numbers", func(t *testing.T, s store.Store) {
		c := newConversation(t, s, "docs")
		tickets, errs := parallel(30, func(int) (store.Ticket, error) {
			return s.CreateTicket(t.Context(), sampleTicket(c, "load"))
		})
		seen := map[string]bool{}
		for i, err := range errs {
			mustOK(t, err)
			if !ticketNumber.MatchString(tickets[i].Number) {
				t.Fatalf("malformed number %q", tickets[i].Number)
			}
			seen[tickets[i].Number] = true
		}
		if len(seen) != 30 {
			t.Fatalf("%d distinct numbers, want 30", len(seen))
		}
		if got := must[[]store.Ticket](t)(s.TicketsBySession(t.Context(), c.session.ID)); len(got) != 30 {
			t.Fatalf("%d tickets stored, want 30", len(got))
		}
	}},
	{"CreateTicket/unknown channel is ErrNotFound and uses no number", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		bad := sampleTicket(c, "x")
		bad.ChannelID = "no-such-channel"
		_, err := s.CreateTicket(ctx, bad)
		wantErr(t, err, store.ErrNotFound)
		if got := must[store.Ticket](t)(s.CreateTicket(ctx, sampleTicket(c, "ok"))); got.Number != "T-1001" {
			t.Fatalf("number after a failed ticket = %q, want T-1001", got.Number)
		}
	}},
	{"TicketsBySession/unknown session has none", func(t *testing.T, s store.Store) {
		if got := must[[]store.Ticket](t)(s.TicketsBySession(t.Context(), "nope")); len(got) != 0 {
			t.Fatalf("got %+v", got)
		}
	}},
}
