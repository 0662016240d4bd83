# Docent developer commands. `make` prints this help.
GO ?= go
PKGS := ./...

.PHONY: help test test-short vet web bench fuzz run axe

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

bench: ## run the benchmarks of bench/ (results go in the README table; a missed goal does not stop the others)
	-$(GO) run ./bench/retrieval
	-$(GO) run ./bench/hostcost
	-$(GO) run ./bench/openlatency
	-$(GO) run ./bench/writes

# axe-core is vendored for the accessibility checks of the browser tests, so CI
# needs neither Node nor the network to run them. AXE_VERSION pins it.
AXE_DIR := e2e/testdata/quality/axe
AXE_VERSION ?= $(shell cat $(AXE_DIR)/VERSION)

axe: ## refresh the vendored axe-core in e2e/testdata/quality/axe from npm (AXE_VERSION=x.y.z to change the pin)
	@tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && tar xzf axe-core-$(AXE_VERSION).tgz) && \
	  cp $$tmp/package/axe.min.js $$tmp/package/LICENSE $(AXE_DIR)/ && echo $(AXE_VERSION) > $(AXE_DIR)/VERSION && rm -rf $$tmp && \
	  echo "axe-core $(AXE_VERSION) vendored in $(AXE_DIR)"

fuzz: ## run every fuzz target briefly (FUZZTIME=30s by default)
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-30s} $$pkg || exit 1; \
	  done; \
	done

run: ## start Docent with the demo
	$(GO) run ./cmd/docent serve
