package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/docentchat/docent/internal/store"
)

// UpsertContact finds the contact by (channel, kind, external id) or creates
// it, in one statement; the given attributes replace the stored ones.
func (s *Store) UpsertContact(ctx context.Context, c store.Contact) (store.Contact, error) {
	attrs, err := jsonValue(c.Attributes)
	if err != nil {
		return store.Contact{}, err
	}
	now := s.now()
	err = s.write.QueryRowContext(ctx, s.q.upsertContact, newID(), c.ChannelID, string(c.Kind), c.ExternalID,
		attrs, s.ts(now), s.ts(now)).Scan(&c.ID, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	if err != nil {
		return store.Contact{}, s.wrap(err)
	}
	return c, nil
}

// Contact returns a contact by id.
func (s *Store) Contact(ctx context.Context, id string) (store.Contact, error) {
	var c store.Contact
	err := s.read.QueryRowContext(ctx, s.q.contactByID, id).Scan(&c.ID, &c.ChannelID, &c.Kind,
		&c.ExternalID, jsonCol{&c.Attributes}, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	return c, s.wrap(err)
}

// CreateSession inserts a session with a new id, and its greeting when one is
// given, in one transaction. Zero times default to now, an empty status to
// open. On success *greeting is filled in with what was stored (id, session,
// role assistant, kind greeting, status complete unless set, times).
func (s *Store) CreateSession(ctx context.Context, sess store.Session, greeting *store.Message) (store.Session, error) {
	if len(sess.TokenHash) == 0 {
		return store.Session{}, errors.New("sqlstore: CreateSession: empty token hash")
	}
	sess.ID = newID()
	sess.CreatedAt = s.at(sess.CreatedAt)
	if sess.LastActivityAt.IsZero() {
		sess.LastActivityAt = sess.CreatedAt
	}
	sess.LastActivityAt = dbTime(sess.LastActivityAt)
	if sess.Status == "" {
		sess.Status = store.SessionOpen
	}
	var closedAt any
	if sess.ClosedAt != nil {
		t := dbTime(*sess.ClosedAt)
		sess.ClosedAt, closedAt = &t, s.ts(t)
	}
	var g store.Message
	if greeting != nil {
		g = greetingMessage(*greeting, sess)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.insertSession, sess.ID, sess.ChannelID, nullable(sess.ContactID),
			sess.TokenHash, string(sess.Status), sess.Language, sess.ClarificationUsed,
			s.ts(sess.CreatedAt), s.ts(sess.LastActivityAt), closedAt, sess.AgentID); err != nil {
			return err
		}
		if greeting != nil {
			return s.insertMessage(ctx, tx, g, "")
		}
		return nil
	})
	if err != nil {
		return store.Session{}, err
	}
	if greeting != nil {
		*greeting = g
	}
	return sess, nil
}

func greetingMessage(m store.Message, sess store.Session) store.Message {
	m.ID, m.SessionID = newID(), sess.ID
	if m.Role == "" {
		m.Role = store.RoleAssistant
	}
	if m.Kind == "" {
		m.Kind = store.KindGreeting
	}
	if m.Status == "" {
		m.Status = store.StatusComplete
	}
	if m.Language == "" {
		m.Language = sess.Language
	}
	m.CreatedAt = sess.CreatedAt
	if !m.UpdatedAt.IsZero() {
		m.UpdatedAt = dbTime(m.UpdatedAt)
	} else {
		m.UpdatedAt = m.CreatedAt
	}
	m.Sources = nilIfEmpty(m.Sources)
	return m
}

// SessionByTokenHash finds a session by the hash of one of its credentials
// (its own, or one AddSessionToken added).
func (s *Store) SessionByTokenHash(ctx context.Context, tokenHash []byte) (store.Session, error) {
	sess, err := scanSession(s.read.QueryRowContext(ctx, s.q.sessionByTokenHash, tokenHash, tokenHash))
	return sess, s.wrap(err)
}

// Session returns a session by id.
func (s *Store) Session(ctx context.Context, id string) (store.Session, error) {
	sess, err := scanSession(s.read.QueryRowContext(ctx, s.q.sessionByID, id))
	return sess, s.wrap(err)
}

// LatestSession returns the contact's most recently active session on a
// channel among the given statuses, active at or after since.
func (s *Store) LatestSession(ctx context.Context, channelID, contactID string, statuses []store.SessionStatus, since time.Time) (store.Session, error) {
	if len(statuses) == 0 {
		return store.Session{}, fmt.Errorf("%w: no status to match", store.ErrNotFound)
	}
	list, err := jsonValue(statuses)
	if err != nil {
		return store.Session{}, err
	}
	sess, err := scanSession(s.read.QueryRowContext(ctx, s.q.latestSession, channelID, contactID, s.ts(since), list))
	return sess, s.wrap(err)
}

// SetSessionStatus changes the status. Closing records closed_at; any other
// status clears it. A status change counts as activity.
func (s *Store) SetSessionStatus(ctx context.Context, id string, status store.SessionStatus, at time.Time) error {
	switch status {
	case store.SessionOpen, store.SessionEscalated, store.SessionClosed:
	default:
		return fmt.Errorf("sqlstore: invalid session status %q", status)
	}
	at = s.at(at)
	var closedAt any
	if status == store.SessionClosed {
		closedAt = s.ts(at)
	}
	res, err := s.write.ExecContext(ctx, s.q.setSessionStatus, string(status), closedAt, s.ts(at), id)
	return s.wrap(expectOne(res, err, "session "+id))
}

// SetSessionLanguage records the sticky conversation language.
func (s *Store) SetSessionLanguage(ctx context.Context, id string, language string) error {
	res, err := s.write.ExecContext(ctx, s.q.setSessionLanguage, language, id)
	return s.wrap(expectOne(res, err, "session "+id))
}

func scanSession(r rowScanner) (store.Session, error) {
	var sess store.Session
	err := r.Scan(&sess.ID, &sess.ChannelID, nullString{&sess.ContactID}, &sess.TokenHash, &sess.Status,
		&sess.Language, &sess.ClarificationUsed, timeCol{&sess.CreatedAt}, timeCol{&sess.LastActivityAt},
		nullTimeCol{&sess.ClosedAt}, &sess.AgentID)
	return sess, err
}
