package app

import (
	"context"
	"errors"
	"log/slog"

	"github.com/docentchat/docent"
	"github.com/docentchat/docent/internal/knowledge"
	"github.com/docentchat/docent/internal/store"
	"github.com/docentchat/docent/internal/widget"
)

// The demo channel answers from Docent's own documentation.
const (
	DemoChannelKey     = "demo"
	DemoCollectionName = "docent-docs"
	demoAgentName      = "docent-demo"
)

// SeedDemo creates, on first start, the demo channel (persona public, guests
// allowed, embeddable anywhere) bound to an extractive agent whose collection
// is Docent's documentation, and on every start re-ingests that documentation
// (a no-op when unchanged). A demo channel an admin has changed is left alone.
func SeedDemo(ctx context.Context, st store.Store, ing *knowledge.Ingester, logger *slog.Logger) error {
	col, err := st.EnsureCollection(ctx, DemoCollectionName)
	if err != nil {
		return err
	}
	report, err := ing.IngestFS(ctx, DemoCollectionName, docent.Docs, widget.DocURL)
	if err != nil {
		return err
	}
	if report.Added+report.Updated > 0 {
		logger.Info("demo documentation indexed", "added", report.Added, "updated", report.Updated, "chunks", report.Chunks)
	}
	agent, err := st.AgentByName(ctx, demoAgentName)
	if errors.Is(err, store.ErrNotFound) {
		agent, err = st.CreateAgent(ctx, store.Agent{Name: demoAgentName, Provider: "extractive", CollectionID: col.ID,
			Instructions:       "Answer questions about Docent from its documentation.",
			SuggestedQuestions: []string{"How do I embed the widget on my site?", "How do I add my own documentation?", "Where is my data stored?"}})
	}
	if err != nil {
		return err
	}
	if _, err := st.Channel(ctx, DemoChannelKey); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	_, err = st.CreateChannel(ctx, DemoChannelKey, store.ChannelConfig{Title: "Docent", Language: "en", Position: "bottom-right",
		LauncherLabel: "Ask Docent", Persona: store.PersonaPublic, IdentityMode: store.IdentityNone, AllowedOrigins: []string{},
		AgentID: agent.ID})
	if err != nil && !errors.Is(err, store.ErrConflict) {
		return err
	}
	if _, err := st.PublishChannel(ctx, DemoChannelKey); err != nil {
		return err
	}
	logger.Info("demo channel created", "key", DemoChannelKey)
	return nil
}
