// Package docent holds what the Docent binary embeds from the repository root:
// its own documentation (README and docs/), which the demo channel answers
// from and the server publishes under /docs/.
package docent

import "embed"

// Docs is Docent's documentation: README.md and docs/*.md.
//
//go:embed README.md docs/*.md
var Docs embed.FS
