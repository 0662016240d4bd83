package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/docentchat/docent/internal/app"
	"github.com/docentchat/docent/internal/channels"
	"github.com/docentchat/docent/internal/config"
	"github.com/docentchat/docent/internal/store"
)

// channelFlags are the editable settings of a channel; only flags actually
// given change anything on update.
type channelFlags struct {
	fs                                                      *flag.FlagSet
	title, greeting, persona, origins, identityMode, issuer *string
	language, position, label, color, agent, collection     *string
	overrideAgents                                          *string
	required, publish, yes                                  *bool
	kind                                                    *string
	maxLifetime, exchangeTTL                                *time.Duration
}

func newChannelFlags(fs *flag.FlagSet) *channelFlags {
	return &channelFlags{fs: fs,
		title:          fs.String("title", "", "title shown in the widget header"),
		greeting:       fs.String("greeting", "", "first message of a new conversation (empty: a localized default)"),
		persona:        fs.String("persona", "", "public, customer, employee or test"),
		origins:        fs.String("origins", "", "comma-separated allowed origins, e.g. https://www.example.com (\"\" clears)"),
		identityMode:   fs.String("identity", "", "none, signed (identity tokens and assertions), direct (claimed user ids) or exchange"),
		required:       fs.Bool("required", false, "guests cannot chat: a valid identity is required"),
		issuer:         fs.String("issuer", "", "required iss of assertions (optional)"),
		maxLifetime:    fs.Duration("max-token-lifetime", 0, "cap on identity-token lifetime exp−iat (default 24h)"),
		exchangeTTL:    fs.Duration("exchange-token-ttl", 0, "lifetime of exchange tokens, 30s–15m (default 15m)"),
		language:       fs.String("language", "", "default language (en, es, fr, de, ru, ar, ja, zh-TW)"),
		position:       fs.String("position", "", "bottom-right or bottom-left"),
		label:          fs.String("launcher-label", "", "accessible label of the launcher button"),
		color:          fs.String("color", "", "theme colour, e.g. #4f46e5"),
		agent:          fs.String("agent", "", "name of the agent that answers"),
		overrideAgents: fs.String("override-agents", "", "comma-separated names of further agents an embed may pick with agentId (\"\" clears)"),
		collection:     fs.String("collection", "", "answer from this knowledge collection (creates an extractive agent for the channel)"),
		publish:        fs.Bool("publish", false, "publish right away"),
		kind:           fs.String("kind", "signing", "rotate-secret: signing or app"),
		yes:            fs.Bool("yes", false, "delete: confirm"),
	}
}

// apply copies the flags that were set onto cfg.
func (f *channelFlags) apply(ctx context.Context, st store.Store, key string, cfg *store.ChannelConfig) error {
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	str := map[string]*string{"title": &cfg.Title, "greeting": &cfg.Greeting, "issuer": &cfg.Issuer, "language": &cfg.Language,
		"position": &cfg.Position, "launcher-label": &cfg.LauncherLabel, "color": &cfg.BaseColor}
	vals := map[string]*string{"title": f.title, "greeting": f.greeting, "issuer": f.issuer, "language": f.language,
		"position": f.position, "launcher-label": f.label, "color": f.color}
	for name, dst := range str {
		if set[name] {
			*dst = *vals[name]
		}
	}
	if set["persona"] {
		cfg.Persona = store.Persona(*f.persona)
	}
	if set["identity"] {
		cfg.IdentityMode = store.IdentityMode(*f.identityMode)
	}
	if set["required"] {
		cfg.IdentityRequired = *f.required
	}
	if set["origins"] {
		cfg.AllowedOrigins = splitComma(*f.origins)
	}
	if set["max-token-lifetime"] {
		cfg.MaxTokenLifetimeSeconds = int(f.maxLifetime.Seconds())
	}
	if set["exchange-token-ttl"] {
		cfg.ExchangeTokenTTLSeconds = int(f.exchangeTTL.Seconds())
	}
	if set["override-agents"] {
		cfg.OverrideAgents = nil
		for _, name := range splitComma(*f.overrideAgents) {
			a, err := st.AgentByName(ctx, name)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no agent named %q", name)
			} else if err != nil {
				return err
			}
			cfg.OverrideAgents = append(cfg.OverrideAgents, a.ID)
		}
	}
	switch {
	case set["agent"]:
		a, err := st.AgentByName(ctx, *f.agent)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no agent named %q", *f.agent)
		} else if err != nil {
			return err
		}
		cfg.AgentID = a.ID
	case set["collection"]:
		id, err := agentForCollection(ctx, st, key, *f.collection)
		if err != nil {
			return err
		}
		cfg.AgentID = id
	}
	return nil
}

// agentForCollection returns the channel's own extractive agent, bound to
// the named collection (created when missing).
func agentForCollection(ctx context.Context, st store.Store, key, collection string) (string, error) {
	col, err := st.EnsureCollection(ctx, collection)
	if err != nil {
		return "", err
	}
	name := "channel-" + key
	a, err := st.AgentByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		a, err = st.CreateAgent(ctx, store.Agent{Name: name, Provider: "extractive", CollectionID: col.ID,
			Instructions: "Answer from the documentation of this channel."})
		return a.ID, err
	} else if err != nil {
		return "", err
	}
	a.CollectionID = col.ID
	a, err = st.UpdateAgent(ctx, a)
	return a.ID, err
}

func splitComma(v string) []string {
	out := []string{}
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// channelCmd runs one channel subcommand with an open store.
type channelCmd func(ctx context.Context, env Env, svc *channels.Service, st store.Store, key string, f *channelFlags) error

func runChannel(ctx context.Context, env Env, args []string) error {
	cmds := map[string]channelCmd{"create": channelCreate, "update": channelUpdate, "show": channelShow, "list": channelList,
		"publish": channelPublish, "rotate-secret": channelRotate, "delete": channelDelete}
	if len(args) == 0 || cmds[args[0]] == nil {
		return fmt.Errorf("usage: docent channel create|list|show|update|publish|rotate-secret|delete [KEY] [flags]")
	}
	sub, args := args[0], args[1:]
	key := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		key, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("channel "+sub, flag.ContinueOnError)
	f := newChannelFlags(fs)
	cfg, logger, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	if key == "" {
		key = fs.Arg(0)
	}
	if key == "" && sub != "list" {
		return fmt.Errorf("usage: docent channel %s KEY [flags]", sub)
	}
	if sub == "delete" && !*f.yes {
		return fmt.Errorf("deleting channel %q removes its conversations too; add --yes to confirm", key)
	}
	return withChannels(ctx, cfg, logger, func(svc *channels.Service, st store.Store) error {
		return cmds[sub](ctx, env, svc, st, key, f)
	})
}

// withChannels opens the store and the secret keyring for an admin command.
func withChannels(ctx context.Context, cfg config.Config, logger *slog.Logger, fn func(*channels.Service, store.Store) error) error {
	st, err := app.OpenStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	keyring, err := app.OpenKeyring(cfg)
	if err != nil {
		return err
	}
	return fn(channels.New(st, keyring), st)
}

func channelCreate(ctx context.Context, env Env, svc *channels.Service, st store.Store, key string, f *channelFlags) error {
	cfg := store.ChannelConfig{Title: key, Persona: store.PersonaPublic, IdentityMode: store.IdentityNone, AllowedOrigins: []string{}}
	if err := f.apply(ctx, st, key, &cfg); err != nil {
		return err
	}
	ch, secrets, err := svc.Create(ctx, key, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created channel %q (draft)\n", ch.Key)
	printSecrets(env.Stdout, secrets)
	if *f.publish {
		return channelPublish(ctx, env, svc, st, key, f)
	}
	fmt.Fprintf(env.Stdout, "publish it with: docent channel publish %s\n", key)
	return nil
}

func channelUpdate(ctx context.Context, env Env, svc *channels.Service, st store.Store, key string, f *channelFlags) error {
	var applyErr error
	ch, secrets, err := svc.Update(ctx, key, func(c *store.ChannelConfig) { applyErr = f.apply(ctx, st, key, c) })
	if applyErr != nil {
		return applyErr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "updated the draft of %q; widgets see it once published\n", ch.Key)
	printSecrets(env.Stdout, secrets)
	if *f.publish {
		return channelPublish(ctx, env, svc, st, key, f)
	}
	return nil
}

func channelPublish(ctx context.Context, env Env, svc *channels.Service, _ store.Store, key string, _ *channelFlags) error {
	ch, err := svc.Publish(ctx, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "published %q as version %d\n", ch.Key, ch.Published.Version)
	return nil
}

func channelRotate(ctx context.Context, env Env, svc *channels.Service, _ store.Store, key string, f *channelFlags) error {
	kind := store.SecretKind(*f.kind)
	if kind != store.SecretSigning && kind != store.SecretApp {
		return fmt.Errorf("--kind must be signing or app")
	}
	secret, err := svc.RotateSecret(ctx, key, kind)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "new %s secret for %q; the previous one keeps working for %s\n", kind, key, svc.Grace)
	printSecrets(env.Stdout, map[store.SecretKind]channels.Secrets{store.SecretSigning: {Signing: secret}, store.SecretApp: {App: secret}}[kind])
	return nil
}

func channelDelete(ctx context.Context, env Env, svc *channels.Service, _ store.Store, key string, _ *channelFlags) error {
	if err := svc.Delete(ctx, key); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "deleted channel %q\n", key)
	return nil
}

func printSecrets(w io.Writer, s channels.Secrets) {
	if s.Signing == "" && s.App == "" {
		return
	}
	fmt.Fprintln(w, "\nStore this secret on your backend now: it is shown only once.")
	if s.Signing != "" {
		fmt.Fprintf(w, "  signing secret (identity tokens, assertions): %s\n", s.Signing)
	}
	if s.App != "" {
		fmt.Fprintf(w, "  app secret (POST /api/v1/auth/token):        %s\n", s.App)
	}
	fmt.Fprintln(w)
}
