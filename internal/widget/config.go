package widget

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/docentchat/docent/internal/origin"
	"github.com/docentchat/docent/internal/store"
)

// PublicConfig is GET /widget/{key}/config.json (PROTOCOL §4). It is built
// field by field from the published version so that nothing secret can slip in.
type PublicConfig struct {
	Key                string         `json:"key"`
	Version            int            `json:"version"`
	Title              string         `json:"title"`
	Greeting           string         `json:"greeting"`
	Language           string         `json:"language"`
	Position           string         `json:"position"`
	Launcher           launcherConfig `json:"launcher"`
	Theme              themeConfig    `json:"theme"`
	SuggestedQuestions []string       `json:"suggested_questions"`
	Persona            string         `json:"persona"`
	Identity           identityConfig `json:"identity"`
	AllowedOrigins     []string       `json:"allowed_origins"`
	Locales            []string       `json:"locales"`
}

type launcherConfig struct {
	Label   string `json:"label"`
	IconURL string `json:"iconUrl"`
}

type themeConfig struct {
	BaseColor string `json:"baseColor"`
}

type identityConfig struct {
	Mode     string `json:"mode"`
	Required bool   `json:"required"`
}

// BuildPublicConfig maps a published channel version to its public shape.
func BuildPublicConfig(key string, v store.ChannelVersion, suggested []string) PublicConfig {
	c := v.Config
	pc := PublicConfig{Key: key, Version: v.Version, Title: titleOf(c), Greeting: c.Greeting, Language: c.Language,
		Position: c.Position, Launcher: launcherConfig{Label: c.LauncherLabel, IconURL: c.LauncherIconURL},
		Theme: themeConfig{BaseColor: c.BaseColor}, SuggestedQuestions: suggested, Persona: string(c.Persona),
		Identity:       identityConfig{Mode: string(c.IdentityMode), Required: c.IdentityRequired},
		AllowedOrigins: c.AllowedOrigins, Locales: c.Locales}
	if pc.Position == "" {
		pc.Position = "bottom-right"
	}
	if pc.Language == "" {
		pc.Language = "en"
	}
	if pc.Identity.Mode == "" {
		pc.Identity.Mode = string(store.IdentityNone)
	}
	for _, p := range []*[]string{&pc.SuggestedQuestions, &pc.AllowedOrigins, &pc.Locales} {
		if *p == nil {
			*p = []string{}
		}
	}
	return pc
}

// Config serves the published public config of a channel, cacheable for a
// minute with an ETag, readable cross-origin by the channel's allowed origins
// (by any origin for a channel embeddable anywhere).
func (s *Server) Config(w http.ResponseWriter, r *http.Request) error {
	ch, err := s.published(r)
	if err != nil {
		return err
	}
	suggested := s.suggestedQuestions(r, ch)
	body, err := json.Marshal(BuildPublicConfig(ch.Key, *ch.Published, suggested))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Add("Vary", "Origin")
	if o, err := origin.Parse(r.Header.Get("Origin")); err == nil {
		if ch.Published.Config.AllowsOrigin(o) {
			h.Set("Access-Control-Allow-Origin", o)
		}
	}
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=60")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "application/json")
	_, err = w.Write(body)
	return err
}

func (s *Server) suggestedQuestions(r *http.Request, ch store.Channel) []string {
	if s.opts.Agents == nil || ch.Published.Config.AgentID == "" {
		return nil
	}
	a, err := s.opts.Agents.Agent(r.Context(), ch.Published.Config.AgentID)
	if err != nil {
		return nil
	}
	return a.SuggestedQuestions
}
