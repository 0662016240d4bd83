package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/docentchat/docent/internal/store"
)

// InterruptedByRestart is the Error code InterruptStreaming gives replies
// that were still streaming when the server stopped.
const InterruptedByRestart = "server_restart"

// BeginTurn records a visitor message and its reply placeholder in one write
// transaction (see store.ConversationStore for the rules). Order matters: the
// session row is taken first (a row lock on PostgreSQL; SQLite's immediate
// transaction already excludes other writers), so the idempotency lookup and
// the in-flight check see every turn committed before and none can slip in
// between check and insert.
func (s *Store) BeginTurn(ctx context.Context, t store.TurnStart) (store.Turn, error) {
	at := s.at(t.At)
	var turn store.Turn
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id string
		if err := tx.QueryRowContext(ctx, s.q.lockSession, t.SessionID).Scan(&id); err != nil {
			return fmt.Errorf("session %s: %w", t.SessionID, err)
		}
		if t.ClientMessageID != "" {
			replayed, found, err := s.replayTurn(ctx, tx, t)
			if err != nil || found {
				turn = replayed
				return err
			}
		}
		var streaming string
		err := tx.QueryRowContext(ctx, s.q.streamingReply, t.SessionID).Scan(&streaming)
		if err == nil {
			return store.ErrReplyInProgress
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		turn = newTurn(t, at)
		return s.recordTurn(ctx, tx, t, turn, at)
	})
	if err != nil {
		return store.Turn{}, err
	}
	return turn, nil
}

// replayTurn looks the client message id up; found reports whether the turn
// exists (then with Replayed set, or ErrIdempotencyKeyReused).
func (s *Store) replayTurn(ctx context.Context, tx *sql.Tx, t store.TurnStart) (store.Turn, bool, error) {
	var hash, userID, replyID string
	err := tx.QueryRowContext(ctx, s.q.idempotencyByKey, t.SessionID, t.ClientMessageID).Scan(&hash, &userID, &replyID)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Turn{}, false, nil
	}
	if err != nil {
		return store.Turn{}, false, err
	}
	if hash != t.RequestHash {
		return store.Turn{}, true, store.ErrIdempotencyKeyReused
	}
	turn := store.Turn{Replayed: true}
	if turn.UserMessage, err = scanMessage(tx.QueryRowContext(ctx, s.q.messageByID, userID)); err != nil {
		return store.Turn{}, true, fmt.Errorf("replay user message: %w", err)
	}
	if turn.Reply, err = scanMessage(tx.QueryRowContext(ctx, s.q.messageByID, replyID)); err != nil {
		return store.Turn{}, true, fmt.Errorf("replay reply: %w", err)
	}
	return turn, true, nil
}

// newTurn builds the two messages of a fresh turn. The user message's id is
// generated first, so it sorts before its reply.
func newTurn(t store.TurnStart, at time.Time) store.Turn {
	user := store.Message{
		ID: newID(), SessionID: t.SessionID, Role: store.RoleUser, Kind: store.KindQuestion,
		Status: store.StatusComplete, Text: t.Text, ClientMessageID: t.ClientMessageID,
		Language: t.Language, CreatedAt: at, UpdatedAt: at,
	}
	reply := store.Message{
		ID: newID(), SessionID: t.SessionID, Role: store.RoleAssistant, Kind: store.KindAnswer,
		Status: store.StatusStreaming, Language: t.Language, CreatedAt: at, UpdatedAt: at,
	}
	return store.Turn{UserMessage: user, Reply: reply}
}

func (s *Store) recordTurn(ctx context.Context, tx *sql.Tx, t store.TurnStart, turn store.Turn, at time.Time) error {
	if err := s.insertMessage(ctx, tx, turn.UserMessage, ""); err != nil {
		return fmt.Errorf("insert user message: %w", err)
	}
	if err := s.insertMessage(ctx, tx, turn.Reply, t.Owner); err != nil {
		return fmt.Errorf("insert reply: %w", err)
	}
	if t.ClientMessageID != "" {
		if _, err := tx.ExecContext(ctx, s.q.insertIdempotency, t.SessionID, t.ClientMessageID, t.RequestHash,
			turn.UserMessage.ID, turn.Reply.ID, s.ts(at)); err != nil {
			return fmt.Errorf("insert idempotency key: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.q.touchSession, s.ts(at), t.SessionID); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// FinishReply stores the final state of a reply that is still streaming,
// by its owner. A reply a sweep interrupted while its owner was only paused
// (its heartbeat late, a long GC or lock wait) is still its owner's to
// finish, as long as nobody restarted it: its answer is kept rather than
// lost. A reply already finished, or restarted by another instance since,
// is not overwritten: that is ErrNotFound, as for an unknown id. An empty Kind or Language keeps the
// placeholder's. A clarification marks the session's clarification as used,
// so the one-per-conversation rule survives restarts.
func (s *Store) FinishReply(ctx context.Context, r store.ReplyResult) (store.Message, error) {
	switch r.Status {
	case store.StatusComplete, store.StatusInterrupted, store.StatusFailed:
	default:
		return store.Message{}, fmt.Errorf("sqlstore: FinishReply: invalid final status %q", r.Status)
	}
	sources, err := jsonList(r.Sources)
	if err != nil {
		return store.Message{}, err
	}
	at := s.at(r.At)
	var m store.Message
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		m, err = scanMessage(tx.QueryRowContext(ctx, s.q.finishReply, string(r.Status), nullable(string(r.Kind)),
			r.Text, sources, nullable(r.Language), r.Error, s.ts(at), r.MessageID, r.Owner, InterruptedByRestart))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: no streaming reply %s", store.ErrNotFound, r.MessageID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q.touchSession, s.ts(at), m.SessionID); err != nil {
			return fmt.Errorf("touch session: %w", err)
		}
		if m.Kind == store.KindClarification {
			if _, err := tx.ExecContext(ctx, s.q.markClarification, m.SessionID); err != nil {
				return fmt.Errorf("mark clarification: %w", err)
			}
		}
		return nil
	})
	return m, err
}

// Messages lists a session's messages in creation order after the cursor
// (exclusive; "" = from the start), at most limit of them (limit <= 0: all).
func (s *Store) Messages(ctx context.Context, sessionID string, afterID string, limit int) ([]store.Message, error) {
	if limit <= 0 {
		limit = math.MaxInt32
	}
	return queryAll(ctx, s, s.q.messagesAfter, scanMessage, sessionID, afterID, limit)
}

// insertMessage inserts m; owner is the instance streaming it (a reply in
// status streaming), or "".
func (s *Store) insertMessage(ctx context.Context, tx *sql.Tx, m store.Message, owner string) error {
	sources, err := jsonList(m.Sources)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q.insertMessage, m.ID, m.SessionID, string(m.Role), string(m.Kind),
		string(m.Status), m.Text, m.ClientMessageID, sources, m.Language, m.Error,
		s.ts(m.CreatedAt), s.ts(m.UpdatedAt), owner)
	return err
}

func scanMessage(r rowScanner) (store.Message, error) {
	var m store.Message
	err := r.Scan(&m.ID, &m.SessionID, &m.Role, &m.Kind, &m.Status, &m.Text, &m.ClientMessageID,
		jsonCol{&m.Sources}, &m.Language, &m.Error, timeCol{&m.CreatedAt}, timeCol{&m.UpdatedAt})
	m.Sources = nilIfEmpty(m.Sources)
	return m, err
}

// RestartReply puts an interrupted or failed reply back to streaming, with its
// text cleared, so a retry with the same client_message_id answers again
// without recording the visitor's message twice. Like BeginTurn it takes the
// session first and refuses while another reply of the session streams.
func (s *Store) RestartReply(ctx context.Context, messageID, owner string, at time.Time) (store.Message, error) {
	sources, err := jsonList([]store.Source(nil))
	if err != nil {
		return store.Message{}, err
	}
	var m store.Message
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var sessionID, locked string
		if err := tx.QueryRowContext(ctx, s.q.sessionOfMessage, messageID).Scan(&sessionID); err != nil {
			return fmt.Errorf("message %s: %w", messageID, err)
		}
		if err := tx.QueryRowContext(ctx, s.q.lockSession, sessionID).Scan(&locked); err != nil {
			return err
		}
		var streaming string
		err := tx.QueryRowContext(ctx, s.q.streamingReply, sessionID).Scan(&streaming)
		if err == nil {
			return store.ErrReplyInProgress
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		m, err = scanMessage(tx.QueryRowContext(ctx, s.q.restartReply, sources, s.ts(s.at(at)), owner, messageID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reply %s is not interrupted or failed: %w", messageID, store.ErrNotFound)
		}
		return err
	})
	return m, err
}
