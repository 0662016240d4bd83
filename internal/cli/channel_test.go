package cli

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/identity"
)

var secretPattern = regexp.MustCompile(`dsk_[A-Za-z0-9_-]{43}`)

func TestChannelCommands(t *testing.T) {
	env := []string{"DOCENT_DATA_DIR=" + t.TempDir()}
	must := func(args ...string) string {
		t.Helper()
		code, out, errOut := run(t, env, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s %s", args, code, out, errOut)
		}
		return out
	}
	out := must("channel", "create", "support", "--collection", "help", "--identity", "signed", "--origins", "https://www.example.com,https://Shop.example.com/")
	secret := secretPattern.FindString(out)
	if secret == "" || !strings.Contains(out, "shown only once") {
		t.Fatalf("create must show the signing secret once: %s", out)
	}
	if code, _, errOut := run(t, env, "channel", "create", "support"); code == 0 || !strings.Contains(errOut, "channel_exists") {
		t.Fatalf("duplicate create: %s", errOut)
	}
	if code, _, errOut := run(t, env, "channel", "update", "support", "--origins", "https://ok.example,*"); code == 0 || !strings.Contains(errOut, "invalid_origin") {
		t.Fatalf("bad origin accepted: %s", errOut)
	}
	must("channel", "publish", "support")
	show := must("channel", "show", "support")
	if strings.Contains(show, secret) || !strings.Contains(show, "https://shop.example.com") || !strings.Contains(show, "dsk_…") {
		t.Fatalf("show: %s", show)
	}
	if list := must("channel", "list"); !strings.Contains(list, "support") || !strings.Contains(list, "v1") {
		t.Fatalf("list: %s", list)
	}
	must("channel", "update", "support", "--title", "Shop help", "--publish")
	if show := must("channel", "show", "support"); !strings.Contains(show, "version 2") || !strings.Contains(show, "Shop help") {
		t.Fatalf("update --publish: %s", show)
	}

	// --override-agents names the further agents an embed may pick (agent_id).
	must("channel", "create", "other", "--collection", "other-docs")
	must("channel", "update", "support", "--override-agents", "channel-other", "--publish")
	if show := must("channel", "show", "support"); !regexp.MustCompile(`override agents\s+channel-other`).MatchString(show) {
		t.Fatalf("override agents: %s", show)
	}
	if code, _, errOut := run(t, env, "channel", "update", "support", "--override-agents", "nobody"); code == 0 || !strings.Contains(errOut, `no agent named "nobody"`) {
		t.Fatalf("unknown override agent accepted: %s", errOut)
	}

	// token sign mints tokens that verify with the channel secret.
	keys := identity.ChannelKeys{ChannelKey: "support", Secrets: [][]byte{[]byte(secret)}}
	v := identity.Verifier{}
	tok := strings.TrimSpace(must("token", "sign", "--channel", "support", "--user", "42", "--email", "ada@example.com"))
	if c, err := v.VerifyIdentityToken(tok, keys); err != nil || c.UserID != "42" || c.Email != "ada@example.com" {
		t.Fatalf("identity token: %+v %v", c, err)
	}
	tok = strings.TrimSpace(must("token", "sign", "--channel", "support", "--user", "42", "--kind", "assertion", "--ttl", "2m"))
	if c, err := v.VerifyAssertion(tok, keys); err != nil || c.UserID != "42" || c.ExpiresAt.Sub(c.IssuedAt) != 2*time.Minute {
		t.Fatalf("assertion: %+v %v", c, err)
	}
	if code, _, _ := run(t, env, "token", "sign", "--channel", "support", "--user", "42", "--kind", "assertion", "--ttl", "10m"); code == 0 {
		t.Fatal("an assertion over 5 minutes was minted")
	}

	// rotate-secret prints a new secret; both verify during the grace window.
	rotated := secretPattern.FindString(must("channel", "rotate-secret", "support"))
	if rotated == "" || rotated == secret {
		t.Fatal("rotate-secret did not print a new secret")
	}
	if code, _, errOut := run(t, env, "channel", "delete", "support"); code == 0 || !strings.Contains(errOut, "--yes") {
		t.Fatalf("delete without --yes: %s", errOut)
	}
	must("channel", "delete", "support", "--yes")
	if code, _, _ := run(t, env, "channel", "show", "support"); code == 0 {
		t.Fatal("deleted channel still shown")
	}
}
