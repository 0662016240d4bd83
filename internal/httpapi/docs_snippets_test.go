package httpapi_test

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/docentchat/docent/internal/store"
)

// TestDocsSigningSnippets signs exactly as docs/identity.md tells host
// backends to (golang-jwt, HS256) and checks Docent verifies the result.
func TestDocsSigningSnippets(t *testing.T) {
	s := newServer(t)
	secret, _ := s.channel("support", store.ChannelConfig{IdentityMode: store.IdentitySigned, Issuer: "https://www.example.com",
		AllowedOrigins: []string{"https://www.example.com"}})
	sign := func(claims jwt.MapClaims) string {
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	now := time.Now()
	identityToken := sign(jwt.MapClaims{"user_id": "42", "email": "ada@example.com", "plan_tier": "pro",
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()})
	assertion := sign(jwt.MapClaims{"sub": "42", "channel_slug": "support", "iat": now.Unix(),
		"exp": now.Add(4 * time.Minute).Unix(), "jti": uuid.NewString(), "iss": "https://www.example.com"})
	for name, body := range map[string]map[string]any{"identity token": {"identity_token": identityToken}, "assertion": {"assertion": assertion}} {
		_, m := s.initSessionKey("support", body)
		if status, user, reason := identityOf(m); status != "verified" || user != "42" {
			t.Errorf("%s from the documented snippet: %s %s", name, status, reason)
		}
	}
}
