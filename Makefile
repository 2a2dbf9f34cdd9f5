# Ibutsu (Go) — build, run and test each service.
SHELL := /bin/bash
GO ?= go
export PATH := /usr/local/go/bin:$(PATH)

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS := -s -w -X github.com/ibutsu-go/ibutsu/pkg/platform/version.Version=$(VERSION) \
           -X github.com/ibutsu-go/ibutsu/pkg/platform/version.Commit=$(COMMIT)
BIN ?= bin
SERVICES := backend worker scheduler monitor
IMAGE_REPO ?= quay.io/ibutsu-go
IMAGE_TAG ?= $(VERSION)
CONTAINER ?= $(shell command -v podman 2>/dev/null || echo docker)
# Every module of go.work but test/resilience, which `make resilience` runs on
# its own (it measures latency and memory, so nothing may run beside it).
GO_PACKAGES := ./pkg/... ./web ./cmd/bench/... ./cmd/backend/... ./cmd/worker/... ./cmd/scheduler/... ./cmd/monitor/... ./deploy/deploytest/...
RESILIENCE_PACKAGES := ./test/resilience/...

.PHONY: all build $(addprefix build-,$(SERVICES)) run $(addprefix run-,$(SERVICES)) migrate \
        test test-short fuzz vet fmt clean $(addprefix image-,$(SERVICES)) $(addprefix push-,$(SERVICES)) images \
        deploy-ocp deploy-k8s web web-if-node web-test web-unit lint lint-go lint-web e2e

all: build

build: $(addprefix build-,$(SERVICES)) ## build all four binaries into ./bin

build-worker build-scheduler build-monitor: build-%:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/$* ./cmd/$*

# The backend embeds the web UI (build tag embedui) whenever web/dist holds a
# build; `make web` makes one (npm ci + vite build). Without Node the backend
# builds and runs without the UI.
UI_TAGS = $(if $(wildcard web/dist/index.html),-tags embedui,)

build-backend: web-if-node
	CGO_ENABLED=0 $(GO) build -trimpath $(UI_TAGS) -ldflags '$(LDFLAGS)' -o $(BIN)/backend ./cmd/backend

run: run-backend ## run the backend (embedded SQLite + in-process tasks unless configured) with the web UI

# run-backend compiles into $(BIN)/backend, saying so first: the first
# build compiles every dependency (several minutes on a small machine, with
# a line every 30 s so it does not look hung); later builds take seconds.
run-backend: web-if-node
	@echo ">> compiling the backend (go build$(if $(UI_TAGS), with the web UI,)); the first build takes several minutes, later ones seconds"
	@start=$$(date +%s); \
	  ( while sleep 30; do echo "   ... still compiling ($$(( $$(date +%s) - start ))s)"; done ) & ticker=$$!; \
	  CGO_ENABLED=0 $(GO) build -trimpath $(UI_TAGS) -ldflags '$(LDFLAGS)' -o $(BIN)/backend ./cmd/backend; rc=$$?; \
	  kill $$ticker 2>/dev/null; wait $$ticker 2>/dev/null; \
	  if [ $$rc -ne 0 ]; then exit $$rc; fi; \
	  echo ">> compiled in $$(( $$(date +%s) - start ))s; starting $(BIN)/backend (Ctrl-C stops it)"
	$(BIN)/backend

web: ## install the UI's npm packages (package-lock.json) and build web/dist
	@echo ">> installing the web UI's npm packages (npm ci)"
	cd web && npm ci --no-audit --no-fund
	@echo ">> building the web UI (vite build into web/dist)"
	cd web && npm run build

# web-if-node builds the UI when npm is present and web/dist is missing or
# older than the UI sources.
web-if-node:
	@if command -v npm >/dev/null 2>&1; then \
	  if [ ! -f web/dist/index.html ] || [ -n "$$(find web/src web/index.html web/package-lock.json -newer web/dist/index.html 2>/dev/null | head -1)" ]; then \
	    $(MAKE) --no-print-directory web; fi; \
	else echo ">> npm not found: building the backend without the web UI (install Node 20 for it)"; fi

web-test: lint-web web-unit ## UI lint, type check and component tests (Vitest under UTC; the tests that touch time under America/New_York too)

# web-unit is web-test without the lint, for `make test`, which lints first.
web-unit:
	cd web && { [ -x node_modules/.bin/vitest ] || npm ci --no-audit --no-fund; } && npm run typecheck && npm test

# golangci-lint is pinned in tools/go.mod, a module of its own outside
# go.work so its dependencies never mix with ours, and built into $(BIN) on
# first use (about two minutes on a clean machine), then again only when
# tools/go.mod changes. .golangci.yml says which linters run and why.
GOLANGCI_LINT := $(abspath $(BIN))/golangci-lint

$(GOLANGCI_LINT): tools/go.mod tools/go.sum
	@echo ">> building golangci-lint (pinned in tools/go.mod) into $(BIN)"
	cd tools && GOWORK=off CGO_ENABLED=0 $(GO) build -o $(GOLANGCI_LINT) github.com/golangci/golangci-lint/v2/cmd/golangci-lint

lint: lint-go lint-web ## every linter: golangci-lint over each Go module, ESLint and Prettier over web/; zero findings

# golangci-lint works on one module at a time: run it in each module of
# go.work (listed by `go list -m`, so a new module is linted once it is
# added there), reporting every module's findings before failing.
#
# It runs with -trimpath (GOFLAGS). Its own cache of findings already keys
# files by their path inside the module (golangci-lint v2.15), so a clean
# clone finds it warm; what a clean clone paid for was golangci-lint's
# package loading, `go list -export`, which compiles every package for its
# export data, and without -trimpath the build cache keys each of ours by
# its directory. Measured on the pkg module (a second clone, both caches
# warmed by the first, load 11-13): 330 s without -trimpath (packages
# loading 5 min 27 s, analysis 0 s), 5 s with it; findings are still
# reported at the same relative paths. All nine modules from that second
# clone: 48 s (21 s of CPU) at load 13. A checkout that lints after another
# of the same sources (CI's clean clone, a worktree) now reuses its work;
# the first -trimpath lint on a machine compiles the packages once more
# (about 470 s of CPU here), so lint once before timing a CI run.
lint-go: $(GOLANGCI_LINT) ## golangci-lint (.golangci.yml) over every module in go.work
	@export GOFLAGS="$${GOFLAGS:+$$GOFLAGS }-trimpath"; \
	rc=0; for m in $$($(GO) list -m -f '{{.Dir}}'); do \
	  echo "golangci-lint $${m#$(CURDIR)/}"; \
	  (cd "$$m" && $(GOLANGCI_LINT) run --config $(CURDIR)/.golangci.yml ./...) || rc=1; \
	done; exit $$rc

lint-web: ## UI lint: ESLint and Prettier (--check) over web/; zero findings
	cd web && { [ -x node_modules/.bin/eslint ] || npm ci --no-audit --no-fund; } && npm run lint

# web-dist builds web/dist from the installed packages (npm ci only when
# they are missing): make test has just installed them for lint and Vitest.
web-dist:
	cd web && { [ -x node_modules/.bin/vite ] || npm ci --no-audit --no-fund; } && npm run build

e2e: web-dist ## browser end-to-end tests (playwright-core + Debian's Chromium) against a seeded backend
	@scripts/ensure-chromium.sh
	cd web && node e2e/run.mjs

run-worker run-scheduler run-monitor: run-%:
	@echo ">> compiling and starting the $* (go run; the first build takes a few minutes)"
	$(GO) run ./cmd/$*

migrate:
	$(GO) run ./cmd/backend migrate

# -race turns on checkptr, which checks every unsafe.Pointer conversion. Our
# code has none; the pure-Go SQLite (modernc.org/sqlite, C translated to Go)
# is made of them, and checking them cost about a sixth of the CPU of the
# tests that run on SQLite. The race detector itself stays on everywhere.
NOCHECKPTR := -gcflags=all=-d=checkptr=0

# Test binaries are linked without DWARF (-ldflags=-w): panics and race
# reports read the symbol table, not DWARF, and linking some forty race-built
# test binaries was a good part of the Go tests' stage (pkg/backend's: 6.1 s,
# 4.4 s without). GO_TEST_PARALLEL runs three packages at a time rather than
# one per core: packages that wait (asynq's recoverer, process restarts) left
# the two cores 17 % idle over the stage; with three they stayed 97 % busy
# and the stage took 615 s instead of 677 s on a clean clone.
GO_TEST_FLAGS := -race $(NOCHECKPTR) -ldflags=-w
GO_TEST_PARALLEL ?= 3

# Every build from the Go tests on is -trimpath (GOFLAGS, so the resilience
# suite's and the e2e runner's own builds are too): without it the build
# cache keys each of our packages by its directory, so a clean clone (CI's)
# or another worktree compiled every one of them again, three ways (-race,
# plain, fuzz-instrumented). With it, a clone reuses what any checkout of the
# same sources compiled (pkg/backend's race test binary: 4.5 s from a second
# clone, against minutes cold).
#
# `go vet` is not run again here: golangci-lint's govet (make lint) has just
# reported the same analyzers over every module.
#
# The benchmark is not a stage of its own: `go test ./cmd/bench/...` (TestRunTiny,
# in the Go tests) runs every scenario at the tiny scale under -race and checks
# more than a smoke run did (each scenario's rows, positive values, the dropped
# database). A separate small run repeated that for about two minutes.
test: ## lint, start PostgreSQL/Redis/S3 (versitygw) if needed, then run every test and fuzz each target briefly
	@scripts/ci-stage.sh lint-tool $(MAKE) --no-print-directory $(GOLANGCI_LINT)
	@scripts/ci-stage.sh lint $(MAKE) --no-print-directory lint
	@export GOFLAGS="$${GOFLAGS:+$$GOFLAGS }-trimpath" && \
	  eval "$$(scripts/ci-stage.sh services scripts/ensure-services.sh)" && \
	  scripts/ci-stage.sh go-test $(GO) test $(GO_TEST_FLAGS) -p $(GO_TEST_PARALLEL) -count=1 -timeout 20m $(GO_PACKAGES) && \
	  scripts/ci-stage.sh resilience $(MAKE) --no-print-directory resilience && \
	  scripts/ci-stage.sh web-unit $(MAKE) --no-print-directory web-unit && \
	  scripts/ci-stage.sh e2e $(MAKE) --no-print-directory e2e && \
	  scripts/ci-stage.sh fuzz $(MAKE) --no-print-directory fuzz FUZZTIME=$(TEST_FUZZTIME)

# End-to-end benchmark (docs/performance.md): fresh database, backend + worker,
# generated data, every figure next to a limit measured in the same run.
# `make bench BENCH_SCALE=medium`; small is a quick smoke run (fails only on errors).
BENCH_SCALE ?= small
BENCH_OUT ?= bench-results.json
.PHONY: bench
bench: ## end-to-end benchmark at BENCH_SCALE (small|medium|large) into BENCH_OUT
	@eval "$$(scripts/ensure-services.sh)" && \
	  $(GO) run ./cmd/bench --scale $(BENCH_SCALE) --out $(BENCH_OUT)

# The fault, hostile-input, security and soak suite (issue #11): the module
# test/resilience, outside GO_PACKAGES. `make test` runs it once, on its own,
# after the other packages, because it measures latency and memory; it
# restarts only private PostgreSQL and Redis servers it starts itself. -v keeps the figures it logs (recovery times, rates, p99, RSS,
# goroutines) in the CI log. IBUTSU_SOAK_DURATION=10m for a full soak.
.PHONY: resilience audit
resilience: ## the resilience suite: faults, hostile input, security headers, secrets, soak
	@eval "$$(scripts/ensure-services.sh)" && \
	  $(GO) test $(GO_TEST_FLAGS) -count=1 -timeout 15m -v $(RESILIENCE_PACKAGES)

# govulncheck against the Go vulnerability database, module by module. It
# needs https://vuln.go.dev (or GOVULNDB=file:///path/to/a/mirror), which CI
# cannot reach, so `make test` does not run it; docs/security.md reviews the
# pinned versions instead.
GOVULNCHECK ?= golang.org/x/vuln/cmd/govulncheck@v1.9.0
AUDIT_MODULES := pkg cmd/backend cmd/worker cmd/scheduler cmd/monitor
audit: ## check every module's dependencies for known vulnerabilities (needs network)
	@set -e; for m in $(AUDIT_MODULES); do \
	  echo "govulncheck $$m"; \
	  (cd $$m && $(GO) run $(GOVULNCHECK) $${GOVULNDB:+-db $$GOVULNDB} ./...); \
	done

# Every `func FuzzX` under pkg/ runs for FUZZTIME, one `go test -fuzz` per
# target (Go fuzzes one target of one package at a time); new targets are
# picked up automatically. Failing inputs land in the package's testdata/fuzz.
FUZZTIME ?= 30s
# make test fuzzes each target (sixteen now) for a few seconds only, to keep a
# CI run near 30 minutes on two cores: each target's seed corpus already runs
# in go test.
# `make fuzz` alone takes FUZZTIME.
TEST_FUZZTIME ?= 3s
fuzz: ## run each fuzz target for FUZZTIME (30s)
	@set -eo pipefail; \
	targets=$$(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' pkg | sort | while read -r f; do \
	  sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/p' "$$f" | sed "s|^|./$$(dirname "$$f") |"; done); \
	test -n "$$targets" || { echo "no fuzz targets found" >&2; exit 1; }; \
	while read -r dir name; do \
	  echo "fuzz $$dir $$name ($(FUZZTIME))"; \
	  GO="$(GO)" scripts/fuzz-one.sh "$$dir" "$$name" $(FUZZTIME); \
	done <<< "$$targets"

test-short: ## tests that need no services (the rest skip)
	$(GO) test -count=1 $(GO_PACKAGES)

vet:
	$(GO) vet $(GO_PACKAGES) $(RESILIENCE_PACKAGES)

fmt:
	gofmt -w cmd pkg test deploy

# run-or-print runs a container-engine command, or prints it when no engine
# answers (CI and these machines have only a client, or none at all).
run-or-print = if $(CONTAINER) info >/dev/null 2>&1; then $(1); else echo "no container engine available; would run:"; echo "  $(1)"; fi

image-backend:
	@$(call run-or-print,$(CONTAINER) build -f Dockerfile.backend --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) -t $(IMAGE_REPO)/backend:$(IMAGE_TAG) .)

image-worker image-scheduler image-monitor: image-%:
	@$(call run-or-print,$(CONTAINER) build -f Dockerfile.worker --build-arg SERVICE=$* --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) -t $(IMAGE_REPO)/$*:$(IMAGE_TAG) .)

images: $(addprefix image-,$(SERVICES))

$(addprefix push-,$(SERVICES)): push-%:
	@$(call run-or-print,$(CONTAINER) push $(IMAGE_REPO)/$*:$(IMAGE_TAG))

# OpenShift: `make deploy-ocp NAMESPACE=my-ns OCP_PARAMS='-p BACKEND_ROUTE=api.example.com -p FRONTEND_ROUTE=ui.example.com'`.
# Secrets (generated passwords) are created only when the `ibutsu` Secret is missing;
# the rest is applied in dependency order (see docs/operations.md).
OCP_TEMPLATES := config postgresql redis backend worker scheduler monitor
NAMESPACE ?= $(shell oc project -q 2>/dev/null)
OCP_PARAMS ?=
deploy-ocp:
	@test -n "$(NAMESPACE)" || { echo "set NAMESPACE" >&2; exit 1; }
	oc -n $(NAMESPACE) get secret ibutsu >/dev/null 2>&1 || \
	  oc process -f deploy/ocp-templates/secrets.yaml --ignore-unknown-parameters -p NAMESPACE=$(NAMESPACE) $(OCP_PARAMS) | oc -n $(NAMESPACE) create -f -
	set -eo pipefail; for t in $(OCP_TEMPLATES); do \
	  oc process -f deploy/ocp-templates/$$t.yaml --ignore-unknown-parameters -p NAMESPACE=$(NAMESPACE) -p IMAGE_TAG=$(IMAGE_TAG) -p IMAGE_REPO=$(IMAGE_REPO) $(OCP_PARAMS) | oc -n $(NAMESPACE) apply -f -; \
	done

deploy-k8s: ## plain Kubernetes (kustomize base); replace CHANGE-ME in deploy/kubernetes/secrets.yaml first
	kubectl apply -k deploy/kubernetes

clean:
	rm -rf $(BIN)
