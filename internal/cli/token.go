package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"time"

	"github.com/docentchat/docent/internal/channels"
	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
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
	return withChannels(ctx, cfg, logger, func(svc *channels.Service, st store.Store) error {
		ch, err := st.Channel(ctx, *key)
		if err != nil {
			return fmt.Errorf("channel %q: %w", *key, err)
		}
		secrets, err := svc.SigningSecrets(ctx, ch.ID)
		if err != nil {
			return err
		}
		if len(secrets) == 0 {
			return fmt.Errorf("channel %q has no signing secret (set --identity signed, or rotate-secret --kind signing)", *key)
		}
		token, err := signToken(ch, secrets[0], *kind, *user, *ttl, map[string]string{"email": *email, "name": *name, "plan_tier": *plan})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, token)
		return nil
	})
}

// signToken builds the claims of an identity token or an assertion and signs them.
func signToken(ch store.Channel, secret []byte, kind, user string, ttl time.Duration, kyc map[string]string) (string, error) {
	now := time.Now()
	claims := map[string]any{"iat": now.Unix(), "exp": now.Add(ttl).Unix()}
	switch kind {
	case "identity":
		claims["user_id"] = user
		for k, v := range kyc {
			if v != "" {
				claims[k] = v
			}
		}
		return identity.SignIdentityToken(secret, claims), nil
	case "assertion":
		jti := make([]byte, 16)
		_, _ = rand.Read(jti)
		claims["sub"], claims["channel_slug"], claims["jti"] = user, ch.Key, hex.EncodeToString(jti)
		cur := ch.Draft
		if ch.Published != nil {
			cur = ch.Published.Config
		}
		if cur.Issuer != "" {
			claims["iss"] = cur.Issuer
		}
		return identity.SignAssertion(secret, claims), nil
	}
	return "", fmt.Errorf("--kind must be identity or assertion")
}
