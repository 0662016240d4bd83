package storetest

import (
	"testing"
	"time"

	"github.com/docentchat/docent/internal/store"
)

func sampleAgent(t *testing.T, s store.Store, name string) store.Agent {
	t.Helper()
	coll := must[store.Collection](t)(s.EnsureCollection(t.Context(), "kb-"+name))
	return store.Agent{
		Name: name, Instructions: "Answer from the docs.", Provider: "extractive", Model: "bm25",
		CollectionID: coll.ID, SuggestedQuestions: []string{"How do I start?", "Pricing?"},
		EscalationLanguage: "fr",
	}
}

var agentBehaviours = []behaviour{
	{"CreateAgent/round trip by id and name", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		in := sampleAgent(t, s, "helper")
		before := time.Now()
		a := must[store.Agent](t)(s.CreateAgent(ctx, in))
		checkID(t, "agent", a.ID)
		checkStoredTime(t, "CreatedAt", a.CreatedAt, before, time.Now())
		in.ID, in.CreatedAt, in.UpdatedAt = a.ID, a.CreatedAt, a.CreatedAt
		diff(t, "created", in, a)
		diff(t, "by id", a, must[store.Agent](t)(s.Agent(ctx, a.ID)))
		diff(t, "by name", a, must[store.Agent](t)(s.AgentByName(ctx, "helper")))
	}},
	{"CreateAgent/without collection or questions", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		a := must[store.Agent](t)(s.CreateAgent(ctx, store.Agent{Name: "bare", Provider: "extractive"}))
		got := must[store.Agent](t)(s.Agent(ctx, a.ID))
		if got.CollectionID != "" || got.SuggestedQuestions != nil {
			t.Fatalf("bare agent = %+v", got)
		}
		diff(t, "read back", a, got)
	}},
	{"CreateAgent/duplicate name is ErrConflict", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		must[store.Agent](t)(s.CreateAgent(ctx, sampleAgent(t, s, "helper")))
		_, err := s.CreateAgent(ctx, store.Agent{Name: "helper", Provider: "openai"})
		wantErr(t, err, store.ErrConflict)
	}},
	{"CreateAgent/unknown collection is ErrNotFound", func(t *testing.T, s store.Store) {
		_, err := s.CreateAgent(t.Context(), store.Agent{Name: "x", Provider: "extractive", CollectionID: "no-such-collection"})
		wantErr(t, err, store.ErrNotFound)
	}},
	{"Agent/unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		_, err := s.Agent(ctx, "0190a7d4-0000-7000-8000-000000000000")
		wantErr(t, err, store.ErrNotFound)
		_, err = s.AgentByName(ctx, "nobody")
		wantErr(t, err, store.ErrNotFound)
		_, err = s.UpdateAgent(ctx, store.Agent{ID: "nope", Name: "nope", Provider: "extractive"})
		wantErr(t, err, store.ErrNotFound)
	}},
	{"UpdateAgent/replaces fields and keeps CreatedAt", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		a := must[store.Agent](t)(s.CreateAgent(ctx, sampleAgent(t, s, "helper")))
		change := a
		change.Name, change.Provider, change.Model = "renamed", "openai", "gpt-x"
		change.CollectionID, change.SuggestedQuestions, change.EscalationLanguage = "", nil, ""
		change.CreatedAt = time.Time{} // the store keeps its own
		updated := must[store.Agent](t)(s.UpdateAgent(ctx, change))
		if !updated.CreatedAt.Equal(a.CreatedAt) || updated.UpdatedAt.Before(a.UpdatedAt) {
			t.Fatalf("times: %v/%v after %v/%v", updated.CreatedAt, updated.UpdatedAt, a.CreatedAt, a.UpdatedAt)
		}
		diff(t, "read back", updated, must[store.Agent](t)(s.AgentByName(ctx, "renamed")))
		_, err := s.AgentByName(ctx, "helper")
		wantErr(t, err, store.ErrNotFound)
	}},
	{"UpdateAgent/taking another agent's name is ErrConflict", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		must[store.Agent](t)(s.CreateAgent(ctx, sampleAgent(t, s, "first")))
		second := must[store.Agent](t)(s.CreateAgent(ctx, sampleAgent(t, s, "second")))
		second.Name = "first"
		_, err := s.UpdateAgent(ctx, second)
		wantErr(t, err, store.ErrConflict)
		if got := must[store.Agent](t)(s.Agent(ctx, second.ID)); got.Name != "second" {
			t.Fatalf("failed update changed the name to %q", got.Name)
		}
	}},
}
