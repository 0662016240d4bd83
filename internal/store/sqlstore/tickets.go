package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/docentchat/docent/internal/store"
)

// TicketNumberPrefix starts every ticket number: T-1001, T-1002, …
const TicketNumberPrefix = "T-"

// CreateTicket opens a ticket with the next number of this installation. The
// number comes from a single counter row updated in the same transaction, so
// it is unique under any concurrency and a failed insert does not burn it.
// An empty Status means open; CreatedAt defaults to now.
func (s *Store) CreateTicket(ctx context.Context, t store.Ticket) (store.Ticket, error) {
	switch t.Priority {
	case store.PriorityLow, store.PriorityMedium, store.PriorityHigh, store.PriorityCritical:
	default:
		return store.Ticket{}, fmt.Errorf("sqlstore: invalid ticket priority %q", t.Priority)
	}
	if t.Status == "" {
		t.Status = "open"
	}
	t.ID = newID()
	t.CreatedAt = s.at(t.CreatedAt)
	t.UpdatedAt = t.CreatedAt
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var seq int64
		if err := tx.QueryRowContext(ctx, s.q.nextTicketNumber).Scan(&seq); err != nil {
			return fmt.Errorf("next ticket number: %w", err)
		}
		t.Number = fmt.Sprintf("%s%d", TicketNumberPrefix, seq)
		_, err := tx.ExecContext(ctx, s.q.insertTicket, t.ID, seq, t.Number, t.ChannelID,
			nullable(t.SessionID), nullable(t.ContactID), string(t.Priority), t.Trigger, t.Status,
			t.Summary, s.ts(t.CreatedAt), s.ts(t.UpdatedAt))
		return err
	})
	if err != nil {
		return store.Ticket{}, err
	}
	return t, nil
}

// TicketsBySession returns a session's tickets, oldest first.
func (s *Store) TicketsBySession(ctx context.Context, sessionID string) ([]store.Ticket, error) {
	return queryAll(ctx, s, s.q.ticketsBySession, scanTicket, sessionID)
}

func scanTicket(r rowScanner) (store.Ticket, error) {
	var t store.Ticket
	err := r.Scan(&t.ID, &t.Number, &t.ChannelID, nullString{&t.SessionID}, nullString{&t.ContactID},
		&t.Priority, &t.Trigger, &t.Status, &t.Summary, timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt})
	return t, err
}
