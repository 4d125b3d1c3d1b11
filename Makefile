# InnoGraph build and development targets. `make test` runs every test.

NEO4J_SH := tools/neo4j/neo4j.sh
GO ?= go

.PHONY: all build test reliability fuzz check web-check generate check-generated vet staticcheck fmt-check bench bench-peer web neo4j-up neo4j-down neo4j-status

all: build

# Build the innograph binary into ./bin.
build:
	$(GO) build -o bin/innograph ./cmd/innograph

# Every test: formatting, vet, staticcheck, generated code up to date, then all Go tests
# (with the race detector). Tests that need Neo4j skip loudly when it is
# not running (run `make neo4j-up` first); with CI=true they fail instead.
# Short fuzz runs come first. The run ends with a summary: tests run, passed, failed, skipped, and each
# skip reason once.
test: check fuzz
	$(GO) run ./tools/testsummary -race -count=1 -timeout 40m ./...

# Fuzz the GraphQL endpoint and the importer for FUZZTIME each (20s in
# `make test`; `make fuzz FUZZTIME=30m` for a longer search). A failing
# input is written to the package's testdata/fuzz and replayed by go test.
FUZZTIME ?= 20s
FUZZ = $(GO) test -run '^$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1x
fuzz:
	$(FUZZ) -fuzz '^FuzzGraphQLDocument$$' ./server/
	$(FUZZ) -fuzz '^FuzzImport$$' ./ingest/
	$(FUZZ) -fuzz '^FuzzImportSheet$$' ./ingest/

# Static checks.
check: fmt-check vet staticcheck check-generated

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './web/ui/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# staticcheck, pinned in go.mod as a tool.
staticcheck:
	$(GO) tool staticcheck ./...

# Regenerate the GraphQL code from schema.graphqls and gqlgen.yml.
generate:
	$(GO) generate ./...

# Fail when the generated code (graph/, server/complexity_gen.go) is not
# what schema.graphqls gives.
check-generated:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp -r graph "$$tmp/graph.before"; cp server/complexity_gen.go "$$tmp/"; \
	$(GO) generate ./graph/... || { echo "go generate failed"; exit 1; }; \
	if ! diff -r "$$tmp/graph.before" graph >/dev/null || ! diff -q "$$tmp/complexity_gen.go" server/complexity_gen.go >/dev/null; then \
		diff -ru "$$tmp/graph.before" graph | head -50; diff -u "$$tmp/complexity_gen.go" server/complexity_gen.go | head -20; \
		echo "generated code was out of date: it has been regenerated, review and commit it"; exit 1; fi

# The load, fault and several-server tests of docs/reliability.md, alone and
# verbose (they also run in `make test`); the Neo4j ones need `make neo4j-up`.
# LOAD_DURATION=10s shortens the load runs (60 s by default).
RELIABILITY_TESTS = TestLoad|TestNeo4jFaults|TestKillDuringWrites|TestKillDuringImport|TestDiskFull|TestServersShareNeo4j
reliability:
	INNOGRAPH_E2E_LOAD_DURATION=$(LOAD_DURATION) $(GO) test ./e2e/ -run '^($(RELIABILITY_TESTS))$$' -count=1 -v -timeout 30m

# Benchmarks (results and conditions go to docs/benchmarks.md).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 2s ./...

# InnoGraph against @neo4j/graphql over the same Neo4j data
# (bench/peer/README.md): needs Node.js 20, npm and `make neo4j-up`; it
# replaces the database's contents under the Neo4j test lock. Not part of
# `make test`. PEER_SCALES="1 20" runs both scales.
PEER_SCALES ?= 1
bench-peer:
	cd bench/peer && npm ci --no-audit --no-fund
	SCALES="$(PEER_SCALES)" bash bench/peer/run.sh

# Rebuild the embedded GraphiQL and explorer bundles from web/ui (needs Node.js and npm).
web:
	bash web/ui/build.sh

# Fail unless web/dist is exactly what web/ui's lock file and sources build.
web-check:
	bash web/ui/build.sh --check

# Start the Neo4j development server (Bolt on 127.0.0.1:7687, user neo4j, NEO4J_PASSWORD).
neo4j-up:
	bash $(NEO4J_SH) up

# Stop the Neo4j development server.
neo4j-down:
	bash $(NEO4J_SH) down

# Exit 0 if the Neo4j development server is running.
neo4j-status:
	bash $(NEO4J_SH) status
