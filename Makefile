# Docent developer commands. `make` prints this help.
GO ?= go
PKGS := ./...

.PHONY: help test test-short vet web bench fuzz run

help: ## show this help
	@echo "Docent make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  %-11s %s\n", $$1, $$2}'

test: vet ## run every test: unit, API, store (SQLite; PostgreSQL when DOCENT_TEST_POSTGRES_DSN is set), fuzz seeds, browser e2e, with -race
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

test-short: ## quick tests without the race detector and browser tests
	$(GO) test -short -count=1 $(PKGS)

vet: ## go vet
	$(GO) vet $(PKGS)

web: ## rebuild the widget bundles in web/dist (esbuild via Go; no Node needed)
	$(GO) run ./cmd/webbuild

bench: ## run the benchmarks of bench/ (results go in the README table)
	$(GO) run ./bench/retrieval

fuzz: ## run every fuzz target briefly (FUZZTIME=30s by default)
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-30s} $$pkg || exit 1; \
	  done; \
	done

run: ## start Docent with the demo
	$(GO) run ./cmd/docent serve
