package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"time"

	"github.com/docentchat/docent/internal/app"
	"github.com/docentchat/docent/internal/channels"
	"github.com/docentchat/docent/internal/identity"
)

// runToken mints a token with a channel's current signing secret from the
// local database, for trying an integration before the host backend exists.
func runToken(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "sign" {
		return fmt.Errorf("usage: docent token sign --channel KEY --user ID [--kind identity|assertion] [--ttl 5m]")
	}
	fs := flag.NewFlagSet("token sign", flag.ContinueOnError)
	key := fs.String("channel", "", "channel key")
	user := fs.String("user", "", "user id (identity token user_id, assertion sub)")
	kind := fs.String("kind", "identity", "identity (HMAC identity token) or assertion (single-use HS256 assertion)")
	ttl := fs.Duration("ttl", 5*time.Minute, "lifetime (assertions: at most 5m)")
	email := fs.String("email", "", "identity token: email claim")
	name := fs.String("name", "", "identity token: name claim")
	plan := fs.String("plan-tier", "", "identity token: plan_tier claim")
	cfg, logger, err := loadConfig(env, fs, args[1:])
	if err != nil {
		return err
	}
	if *key == "" || *user == "" {
		return fmt.Errorf("--channel and --user are required")
	}
	if *kind == "assertion" && *ttl > 5*time.Minute {
		return fmt.Errorf("assertions live at most 5m")
	}
	st, err := app.OpenStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	keyring, err := app.OpenKeyring(cfg)
	if err != nil {
		return err
	}
	ch, err := st.Channel(ctx, *key)
	if err != nil {
		return fmt.Errorf("channel %q: %w", *key, err)
	}
	secrets, err := channels.New(st, keyring).SigningSecrets(ctx, ch.ID)
	if err != nil {
		return err
	}
	if len(secrets) == 0 {
		return fmt.Errorf("channel %q has no signing secret (set --identity signed, or rotate-secret --kind signing)", *key)
	}
	now := time.Now()
	claims := map[string]any{"iat": now.Unix(), "exp": now.Add(*ttl).Unix()}
	var token string
	switch *kind {
	case "identity":
		claims["user_id"] = *user
		for k, v := range map[string]string{"email": *email, "name": *name, "plan_tier": *plan} {
			if v != "" {
				claims[k] = v
			}
		}
		token = identity.SignIdentityToken(secrets[0], claims)
	case "assertion":
		jti := make([]byte, 16)
		_, _ = rand.Read(jti)
		claims["sub"], claims["channel_slug"], claims["jti"] = *user, ch.Key, hex.EncodeToString(jti)
		cur := ch.Draft
		if ch.Published != nil {
			cur = ch.Published.Config
		}
		if cur.Issuer != "" {
			claims["iss"] = cur.Issuer
		}
		token = identity.SignAssertion(secrets[0], claims)
	default:
		return fmt.Errorf("--kind must be identity or assertion")
	}
	fmt.Fprintln(env.Stdout, token)
	return nil
}
