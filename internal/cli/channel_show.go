package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/docentchat/docent/internal/channels"
	"github.com/docentchat/docent/internal/store"
)

func channelList(ctx context.Context, env Env, _ *channels.Service, st store.Store, _ string, _ *channelFlags) error {
	all, err := st.ListChannels(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%-24s %-9s %-9s %-9s %s\n", "KEY", "VERSION", "PERSONA", "IDENTITY", "ORIGINS")
	for _, ch := range all {
		version, cfg := "draft", ch.Draft
		if ch.Published != nil {
			version, cfg = fmt.Sprintf("v%d", ch.Published.Version), ch.Published.Config
		}
		origins := strings.Join(cfg.AllowedOrigins, ",")
		if origins == "" {
			origins = "(none)"
		}
		fmt.Fprintf(env.Stdout, "%-24s %-9s %-9s %-9s %s\n", ch.Key, version, cfg.Persona, identityLabel(cfg), origins)
	}
	return nil
}

func channelShow(ctx context.Context, env Env, svc *channels.Service, st store.Store, key string, _ *channelFlags) error {
	ch, err := st.Channel(ctx, key)
	if err != nil {
		return fmt.Errorf("channel %q: %w", key, err)
	}
	w := env.Stdout
	fmt.Fprintf(w, "channel %s\n", ch.Key)
	if ch.Published != nil {
		fmt.Fprintf(w, "\npublished (version %d, %s):\n", ch.Published.Version, ch.Published.PublishedAt.Format("2006-01-02 15:04 MST"))
		printConfig(ctx, env, st, ch.Published.Config)
	} else {
		fmt.Fprintln(w, "\nnot published yet")
	}
	fmt.Fprintln(w, "\ndraft:")
	printConfig(ctx, env, st, ch.Draft)
	hints, err := svc.SecretHints(ctx, ch.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nsecrets (values are never shown again):")
	if len(hints) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, h := range hints {
		state := "current"
		if h.ExpiresAt != nil {
			state = "previous, valid until " + h.ExpiresAt.Format("2006-01-02 15:04 MST")
		}
		fmt.Fprintf(w, "  %-8s %s  created %s  %s\n", h.Kind, h.Hint, h.CreatedAt.Format("2006-01-02 15:04 MST"), state)
	}
	fmt.Fprintf(w, "\nembed snippet:\n  <script async src=\"https://YOUR-DOCENT-HOST/widget.js?key=%s\"></script>\n", ch.Key)
	return nil
}

func printConfig(ctx context.Context, env Env, st store.Store, c store.ChannelConfig) {
	agent := "(none: bind one with --agent or --collection)"
	if c.AgentID != "" {
		if a, err := st.Agent(ctx, c.AgentID); err == nil {
			agent = a.Name + " (" + a.Provider + ")"
		}
	}
	origins := strings.Join(c.AllowedOrigins, " ")
	if origins == "" {
		origins = "(none)"
	}
	rows := [][2]string{{"title", c.Title}, {"greeting", c.Greeting}, {"language", c.Language}, {"persona", string(c.Persona)},
		{"identity", identityLabel(c)}, {"issuer", c.Issuer}, {"allowed origins", origins}, {"agent", agent},
		{"override agents", agentNames(ctx, st, c.OverrideAgents)}}
	for _, r := range rows {
		if r[1] != "" {
			fmt.Fprintf(env.Stdout, "  %-16s %s\n", r[0], r[1])
		}
	}
}

func identityLabel(c store.ChannelConfig) string {
	mode := string(c.IdentityMode)
	if mode == "" {
		mode = "none"
	}
	if c.IdentityRequired {
		mode += ",required"
	}
	return mode
}

// agentNames lists agents by name (by id when one is gone), "" for none.
func agentNames(ctx context.Context, st store.Store, ids []string) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		if a, err := st.Agent(ctx, id); err == nil {
			id = a.Name
		}
		names = append(names, id)
	}
	return strings.Join(names, ", ")
}
