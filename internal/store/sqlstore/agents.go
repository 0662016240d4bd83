package sqlstore

import (
	"context"

	"github.com/docentchat/docent/internal/store"
)

// CreateAgent inserts an agent with a new id; ErrConflict if the name exists,
// ErrNotFound if its collection does not.
func (s *Store) CreateAgent(ctx context.Context, a store.Agent) (store.Agent, error) {
	suggested, err := jsonList(a.SuggestedQuestions)
	if err != nil {
		return store.Agent{}, err
	}
	now := s.now()
	a.ID, a.CreatedAt, a.UpdatedAt = newID(), now, now
	a.SuggestedQuestions = nilIfEmpty(a.SuggestedQuestions)
	_, err = s.write.ExecContext(ctx, s.q.insertAgent, a.ID, a.Name, a.Instructions, a.Provider, a.Model,
		nullable(a.CollectionID), suggested, a.EscalationLanguage, s.ts(now), s.ts(now))
	if err != nil {
		return store.Agent{}, s.wrap(err)
	}
	return a, nil
}

// Agent returns an agent by id.
func (s *Store) Agent(ctx context.Context, id string) (store.Agent, error) {
	a, err := scanAgent(s.read.QueryRowContext(ctx, s.q.agentByID, id))
	return a, s.wrap(err)
}

// AgentByName returns an agent by its unique name.
func (s *Store) AgentByName(ctx context.Context, name string) (store.Agent, error) {
	a, err := scanAgent(s.read.QueryRowContext(ctx, s.q.agentByName, name))
	return a, s.wrap(err)
}

// UpdateAgent replaces every editable field of the agent a.ID.
func (s *Store) UpdateAgent(ctx context.Context, a store.Agent) (store.Agent, error) {
	suggested, err := jsonList(a.SuggestedQuestions)
	if err != nil {
		return store.Agent{}, err
	}
	a.UpdatedAt = s.now()
	a.SuggestedQuestions = nilIfEmpty(a.SuggestedQuestions)
	err = s.write.QueryRowContext(ctx, s.q.updateAgent, a.Name, a.Instructions, a.Provider, a.Model,
		nullable(a.CollectionID), suggested, a.EscalationLanguage, s.ts(a.UpdatedAt), a.ID,
	).Scan(timeCol{&a.CreatedAt})
	if err != nil {
		return store.Agent{}, s.wrap(err)
	}
	return a, nil
}

func scanAgent(r rowScanner) (store.Agent, error) {
	var a store.Agent
	err := r.Scan(&a.ID, &a.Name, &a.Instructions, &a.Provider, &a.Model, nullString{&a.CollectionID},
		jsonCol{&a.SuggestedQuestions}, &a.EscalationLanguage, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt})
	a.SuggestedQuestions = nilIfEmpty(a.SuggestedQuestions)
	return a, err
}
