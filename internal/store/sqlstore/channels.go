package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/docentchat/docent/internal/store"
)

// CreateChannel inserts a channel with its draft config; ErrConflict if the key exists.
func (s *Store) CreateChannel(ctx context.Context, key string, draft store.ChannelConfig) (store.Channel, error) {
	cfg, err := jsonValue(draft)
	if err != nil {
		return store.Channel{}, err
	}
	now := s.now()
	c := store.Channel{ID: newID(), Key: key, Draft: draft, CreatedAt: now, UpdatedAt: now}
	_, err = s.write.ExecContext(ctx, s.q.insertChannel, c.ID, key, cfg, s.ts(now), s.ts(now))
	if err != nil {
		return store.Channel{}, s.wrap(err)
	}
	// Read back rather than return draft: JSON normalizes it (nil vs empty
	// lists), and callers must see what later reads will see.
	return s.Channel(ctx, key)
}

// Channel returns a channel with its draft and latest published version.
func (s *Store) Channel(ctx context.Context, key string) (store.Channel, error) {
	c, err := scanChannel(s.read.QueryRowContext(ctx, s.q.channelByKey, key))
	return c, s.wrap(err)
}

// ChannelByID returns a channel by its internal id.
func (s *Store) ChannelByID(ctx context.Context, id string) (store.Channel, error) {
	c, err := scanChannel(s.read.QueryRowContext(ctx, s.q.channelByID, id))
	return c, s.wrap(err)
}

// ListChannels returns every channel, ordered by key.
func (s *Store) ListChannels(ctx context.Context) ([]store.Channel, error) {
	return queryAll(ctx, s, s.q.listChannels, scanChannel)
}

// UpdateChannelDraft replaces the draft config; the published version is untouched.
func (s *Store) UpdateChannelDraft(ctx context.Context, key string, draft store.ChannelConfig) (store.Channel, error) {
	cfg, err := jsonValue(draft)
	if err != nil {
		return store.Channel{}, err
	}
	var c store.Channel
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.updateChannelDraft, cfg, s.ts(s.now()), key)
		if err := expectOne(res, err, "channel "+key); err != nil {
			return err
		}
		c, err = scanChannel(tx.QueryRowContext(ctx, s.q.channelByKey, key))
		return err
	})
	return c, err
}

// PublishChannel snapshots the current draft as the next published version.
// The channel row is locked first, so concurrent publishes get consecutive
// versions instead of a conflict.
func (s *Store) PublishChannel(ctx context.Context, key string) (store.Channel, error) {
	var c store.Channel
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id string
		var current int
		if err := tx.QueryRowContext(ctx, s.q.lockChannel, key).Scan(&id, &current); err != nil {
			return err
		}
		now := s.ts(s.now())
		next := current + 1
		if _, err := tx.ExecContext(ctx, s.q.insertChannelVersion, next, now, id); err != nil {
			return fmt.Errorf("insert version: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q.setPublishedVersion, next, now, id); err != nil {
			return fmt.Errorf("set published version: %w", err)
		}
		var err error
		c, err = scanChannel(tx.QueryRowContext(ctx, s.q.channelByKey, key))
		return err
	})
	return c, err
}

// DeleteChannel removes the channel; foreign keys cascade to its versions,
// secrets, contacts, sessions, messages, idempotency keys, tickets and
// assertion replays.
func (s *Store) DeleteChannel(ctx context.Context, key string) error {
	res, err := s.write.ExecContext(ctx, s.q.deleteChannel, key)
	return s.wrap(expectOne(res, err, "channel "+key))
}

func scanChannel(r rowScanner) (store.Channel, error) {
	var (
		c           store.Channel
		version     sql.NullInt64
		published   store.ChannelConfig
		publishedAt *time.Time
	)
	err := r.Scan(&c.ID, &c.Key, jsonCol{&c.Draft}, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt},
		&version, jsonCol{&published}, nullTimeCol{&publishedAt})
	if err != nil {
		return store.Channel{}, err
	}
	if version.Valid && publishedAt != nil {
		c.Published = &store.ChannelVersion{Version: int(version.Int64), Config: published, PublishedAt: *publishedAt}
	}
	return c, nil
}
