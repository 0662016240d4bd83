package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"time"

	"github.com/docentchat/docent/internal/store"
)

// RotateChannelSecret installs sec as the current secret of its kind. In one
// transaction: secrets already in a grace window expire now (only one
// previous secret is ever honoured), the current one enters its grace window
// until graceUntil, and sec is inserted as current.
func (s *Store) RotateChannelSecret(ctx context.Context, sec store.ChannelSecret, graceUntil time.Time) error {
	if (sec.Ciphertext == nil) == (sec.Hash == nil) {
		return errors.New("sqlstore: RotateChannelSecret: exactly one of ciphertext and hash must be set")
	}
	now := s.now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		kind := string(sec.Kind)
		if _, err := tx.ExecContext(ctx, s.q.expireSecrets, s.ts(now), sec.ChannelID, kind, s.ts(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q.graceSecret, s.ts(graceUntil), sec.ChannelID, kind); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q.insertSecret, newID(), sec.ChannelID, kind, nullBytes(sec.Ciphertext),
			nullBytes(sec.Hash), sec.Hint, s.ts(s.at(sec.CreatedAt)))
		return err
	})
}

// ChannelSecrets returns the secrets of a kind valid at at, current first.
func (s *Store) ChannelSecrets(ctx context.Context, channelID string, kind store.SecretKind, at time.Time) ([]store.ChannelSecret, error) {
	rows, err := s.read.QueryContext(ctx, s.q.validSecrets, channelID, string(kind), s.ts(s.at(at)))
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []store.ChannelSecret
	for rows.Next() {
		var c store.ChannelSecret
		if err := rows.Scan(&c.ID, &c.ChannelID, &c.Kind, &c.Ciphertext, &c.Hash, &c.Hint,
			timeCol{&c.CreatedAt}, nullTimeCol{&c.ExpiresAt}); err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, c)
	}
	return out, s.wrap(rows.Err())
}

// UseAssertion records a used assertion; the primary key (channel, issuer,
// jti) makes a second use fail with ErrConflict, whoever tries it. Expired
// records are pruned in the same transaction so the table stays small.
func (s *Store) UseAssertion(ctx context.Context, channelID, issuer, jti string, expiresAt, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.pruneAssertions, s.ts(s.at(now))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q.insertAssertion, channelID, issuer, jti, s.ts(s.at(expiresAt)))
		return err
	})
}

// SetSessionToken replaces the session's credential hash and revokes the
// credentials AddSessionToken added: every old session_id stops working.
func (s *Store) SetSessionToken(ctx context.Context, sessionID string, tokenHash []byte) error {
	if len(tokenHash) == 0 {
		return errors.New("sqlstore: SetSessionToken: empty token hash")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.setSessionToken, tokenHash, sessionID)
		if err := expectOne(res, err, "session "+sessionID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q.deleteSessionTokens, sessionID)
		return err
	})
}

// RevokeContactCredentials gives every session of the contact a random
// credential hash (the hash of no token anyone holds) and deletes their
// added credentials, in one transaction.
func (s *Store) RevokeContactCredentials(ctx context.Context, contactID string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.q.sessionsOfContact, contactID)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for _, id := range ids {
			revoked := make([]byte, 32)
			rand.Read(revoked) // never fails (crypto/rand)
			if _, err := tx.ExecContext(ctx, s.q.setSessionToken, revoked, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, s.q.deleteContactSessionTokens, contactID)
		return err
	})
}

// AddSessionToken gives a session one more credential, keeping the newest
// store.MaxSessionTokens of those added.
func (s *Store) AddSessionToken(ctx context.Context, sessionID string, tokenHash []byte, at time.Time) error {
	if len(tokenHash) == 0 {
		return errors.New("sqlstore: AddSessionToken: empty token hash")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, s.q.sessionExists, sessionID).Scan(&one); err != nil {
			return err // sql.ErrNoRows: store.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, s.q.insertSessionToken, tokenHash, sessionID, s.ts(s.at(at))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q.pruneSessionTokens, sessionID, sessionID, store.MaxSessionTokens)
		return err
	})
}

func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}
