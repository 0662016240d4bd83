package channels

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/identity"
	"github.com/docentchat/docent/internal/store"
	"github.com/docentchat/docent/internal/store/sqlstore"
)

func newService(t *testing.T) (*Service, *sqlstore.Store, *time.Time) {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(dir, "docent.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	kr, err := identity.LoadKeyring(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	svc := New(st, kr)
	svc.now = func() time.Time { return now }
	return svc, st, &now
}

func code(err error) string { return errs.CodeOf(err) }

// TestOR03_InvalidOriginsRefusedAtomically: one bad entry refuses the whole
// change and nothing is saved.
func TestOR03_InvalidOriginsRefusedAtomically(t *testing.T) {
	svc, st, _ := newService(t)
	ctx := context.Background()
	if _, _, err := svc.Create(ctx, "shop", store.ChannelConfig{AllowedOrigins: []string{"https://ok.example"}}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"*", "https://*.example.com", "example.com", "https://example.com/path", "javascript:alert(1)", "null",
		"https://exa mple.com", "http://shop.example", "https://a.com; script-src *", "https://a.com\r\nx"} {
		_, _, err := svc.Update(ctx, "shop", func(c *store.ChannelConfig) { c.AllowedOrigins = []string{"https://new.example", bad} })
		if code(err) != "invalid_origin" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	ch, _ := st.Channel(ctx, "shop")
	if !slices.Equal(ch.Draft.AllowedOrigins, []string{"https://ok.example"}) {
		t.Fatalf("a refused change was saved: %v", ch.Draft.AllowedOrigins)
	}
	ch, _, err := svc.Update(ctx, "shop", func(c *store.ChannelConfig) {
		c.AllowedOrigins = []string{"https://bücher.example", "https://OK.example/"}
	})
	if err != nil || !slices.Equal(ch.Draft.AllowedOrigins, []string{"https://xn--bcher-kva.example", "https://ok.example"}) {
		t.Fatalf("canonical origins: %v %v", ch.Draft.AllowedOrigins, err)
	}
}

// TestDU01_DirectNeedsOrigins and DU-02: direct ids only with an allow-list,
// and the last origin cannot be removed while direct ids are on.
func TestDU01_DirectNeedsOrigins(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	if _, _, err := svc.Create(ctx, "dd", store.ChannelConfig{IdentityMode: store.IdentityDirect}); code(err) != "origin_restriction_required" {
		t.Fatalf("DU-01: %v", err)
	}
	if _, _, err := svc.Create(ctx, "dd", store.ChannelConfig{IdentityMode: store.IdentityDirect, AllowedOrigins: []string{"https://a.example"}}); err != nil {
		t.Fatal(err)
	}
	_, _, err := svc.Update(ctx, "dd", func(c *store.ChannelConfig) { c.AllowedOrigins = nil })
	if code(err) != "would_disable_origin_restriction" {
		t.Fatalf("DU-02: %v", err)
	}
	if _, _, err := svc.Update(ctx, "dd", func(c *store.ChannelConfig) { c.IdentityMode, c.AllowedOrigins = store.IdentityNone, nil }); err != nil {
		t.Fatalf("switching the mode off and clearing origins together: %v", err)
	}
}

// TestIT11_RotationGraceWindow (also TX-08): the previous secret verifies
// until the grace window ends, then only the new one does.
func TestIT11_RotationGraceWindow(t *testing.T) {
	svc, st, now := newService(t)
	ctx := context.Background()
	ch, first, err := svc.Create(ctx, "sig", store.ChannelConfig{IdentityMode: store.IdentitySigned, AllowedOrigins: []string{"https://a.example"}})
	if err != nil || first.Signing == "" {
		t.Fatalf("create: %v %+v", err, first)
	}
	second, err := svc.RotateSecret(ctx, "sig", store.SecretSigning)
	if err != nil || second == first.Signing {
		t.Fatal(err)
	}
	got, err := svc.SigningSecrets(ctx, ch.ID)
	if err != nil || len(got) != 2 || string(got[0]) != second || string(got[1]) != first.Signing {
		t.Fatalf("inside grace: %q %v", got, err)
	}
	*now = now.Add(svc.Grace + time.Second)
	got, _ = svc.SigningSecrets(ctx, ch.ID)
	if len(got) != 1 || string(got[0]) != second {
		t.Fatalf("after grace: %q", got)
	}
	// Stored at rest encrypted, never in plaintext.
	recs, _ := st.ChannelSecrets(ctx, ch.ID, store.SecretSigning, *now)
	if len(recs) != 1 || string(recs[0].Ciphertext) == second || recs[0].Hash != nil {
		t.Fatalf("stored form: %+v", recs)
	}
}

// TestTX08_AppSecretRotation: app secrets are stored as hashes and the old
// one works through the grace window only.
func TestTX08_AppSecretRotation(t *testing.T) {
	svc, st, now := newService(t)
	ctx := context.Background()
	ch, s, err := svc.Create(ctx, "xx", store.ChannelConfig{IdentityMode: store.IdentityExchange, AllowedOrigins: []string{"https://a.example"}})
	if err != nil || s.App == "" {
		t.Fatalf("%v %+v", err, s)
	}
	recs, _ := st.ChannelSecrets(ctx, ch.ID, store.SecretApp, *now)
	if len(recs) != 1 || recs[0].Ciphertext != nil || string(recs[0].Hash) == s.App {
		t.Fatalf("app secret must be stored as a hash only: %+v", recs)
	}
	next, _ := svc.RotateSecret(ctx, "xx", store.SecretApp)
	for _, tt := range []struct {
		secret string
		want   bool
	}{{s.App, true}, {next, true}, {"das_nope", false}} {
		if ok, _ := svc.AppSecretMatches(ctx, ch.ID, tt.secret); ok != tt.want {
			t.Errorf("inside grace %q: %v", tt.secret[:6], ok)
		}
	}
	*now = now.Add(svc.Grace + time.Second)
	if ok, _ := svc.AppSecretMatches(ctx, ch.ID, s.App); ok {
		t.Fatal("the old app secret outlived its grace window")
	}
}

func TestValidate(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	tests := []struct {
		name string
		key  string
		cfg  store.ChannelConfig
		code string
	}{
		{"bad key", "Bad Key", store.ChannelConfig{}, "invalid_key"},
		{"persona", "pp", store.ChannelConfig{Persona: "admin"}, "invalid_field"},
		{"customer needs identity", "c2", store.ChannelConfig{Persona: store.PersonaCustomer}, "invalid_field"},
		{"identity mode", "i2", store.ChannelConfig{IdentityMode: "magic"}, "invalid_field"},
		{"colour", "c3", store.ChannelConfig{BaseColor: "red; x"}, "invalid_field"},
		{"language", "l2", store.ChannelConfig{Language: "klingon"}, "invalid_field"},
		{"exchange ttl", "t2", store.ChannelConfig{ExchangeTokenTTLSeconds: 3600}, "invalid_field"},
		{"title", "t3", store.ChannelConfig{Title: "a\x00b"}, "invalid_field"},
	}
	for _, tt := range tests {
		if _, _, err := svc.Create(ctx, tt.key, tt.cfg); code(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
	if _, _, err := svc.Create(ctx, "dup", store.ChannelConfig{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Create(ctx, "dup", store.ChannelConfig{}); code(err) != "channel_exists" {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := svc.Publish(ctx, "dup"); code(err) != "agent_required" {
		t.Fatalf("publish without agent: %v", err)
	}
}
