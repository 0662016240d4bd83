package channels

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/docentchat/docent/internal/errs"
	"github.com/docentchat/docent/internal/locale"
	"github.com/docentchat/docent/internal/origin"
	"github.com/docentchat/docent/internal/store"
)

var (
	keyPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)
	colorPattern = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
)

// ValidKey reports whether key is a channel key (PROTOCOL §1).
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

// Validate checks a channel config as a whole and returns it in canonical
// form (origins canonicalized, language normalized). It refuses rather than
// repairs: a config that fails is never half-applied.
func Validate(c store.ChannelConfig) (store.ChannelConfig, error) {
	invalid := func(code, format string, args ...any) (store.ChannelConfig, error) {
		return c, errs.New(errs.Invalid, code, fmt.Sprintf(format, args...))
	}
	if err := checkText("title", c.Title, 100); err != nil {
		return c, err
	}
	if err := checkText("greeting", c.Greeting, 1000); err != nil {
		return c, err
	}
	if err := checkText("launcher label", c.LauncherLabel, 60); err != nil {
		return c, err
	}
	switch c.Persona {
	case store.PersonaPublic, store.PersonaCustomer, store.PersonaEmployee, store.PersonaTest:
	case "":
		c.Persona = store.PersonaPublic
	default:
		return invalid("invalid_field", "persona must be public, customer, employee or test")
	}
	switch c.IdentityMode {
	case store.IdentityNone, store.IdentitySigned, store.IdentityDirect, store.IdentityExchange:
	case "":
		c.IdentityMode = store.IdentityNone
	default:
		return invalid("invalid_field", "identity mode must be none, signed, direct or exchange")
	}
	switch c.Position {
	case "", "bottom-right", "bottom-left":
	default:
		return invalid("invalid_field", "position must be bottom-right or bottom-left")
	}
	if c.BaseColor != "" && !colorPattern.MatchString(c.BaseColor) {
		return invalid("invalid_field", "base color must be a hex colour such as #4f46e5")
	}
	if c.Language != "" {
		if c.Language = locale.Normalize(c.Language); c.Language == "" {
			return invalid("invalid_field", "language must be one of %s", strings.Join(locale.Languages(), ", "))
		}
	}
	origins, err := origin.ParseList(c.AllowedOrigins)
	if err != nil {
		return invalid("invalid_origin", "allowed origins: %v", err)
	}
	c.AllowedOrigins = origins
	if c.Issuer != "" && (len(c.Issuer) > 200 || strings.IndexFunc(c.Issuer, unicode.IsControl) >= 0 || !utf8.ValidString(c.Issuer)) {
		return invalid("invalid_field", "issuer must be at most 200 printable characters")
	}
	if c.MaxTokenLifetimeSeconds < 0 || c.MaxTokenLifetimeSeconds > 24*3600 {
		return invalid("invalid_field", "max token lifetime must be between 1s and 24h")
	}
	if c.ExchangeTokenTTLSeconds != 0 && (c.ExchangeTokenTTLSeconds < 30 || c.ExchangeTokenTTLSeconds > 15*60) {
		return invalid("invalid_field", "exchange token lifetime must be between 30s and 15m")
	}
	// A claimed, unsigned user id is only acceptable where browsers enforce
	// which sites may embed the widget (SECURITY DU-01).
	if c.IdentityMode == store.IdentityDirect && len(c.AllowedOrigins) == 0 {
		return invalid("origin_restriction_required", "direct user ids need at least one allowed origin; add --origins first")
	}
	if (c.Persona == store.PersonaCustomer || c.Persona == store.PersonaEmployee) && c.IdentityMode == store.IdentityNone {
		return invalid("invalid_field", "a %s channel identifies its users: choose identity mode direct, signed or exchange", c.Persona)
	}
	return c, nil
}

func checkText(what, s string, max int) error {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max || strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) >= 0 {
		return errs.New(errs.Invalid, "invalid_field", fmt.Sprintf("%s must be at most %d printable characters", what, max))
	}
	return nil
}
