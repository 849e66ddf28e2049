# Everything runs through the Go toolchain pinned in go.mod; `make run` and
# `make test` need nothing else on the machine (browser tests need Chromium,
# which .ci/run installs).
GO ?= go
BIN := bin/helpline
# The Go source folders gofmt and lint look at.
GODIRS := cmd web views static store desk authz jobs demo

.PHONY: run build test test-postgres test-postgres-suites lint fmt generate bench bench-postgres bench-tools gobench demo clean

run: generate
	$(GO) run ./cmd/helpline

build: generate
	$(GO) build -o $(BIN) ./cmd/helpline

# make demo TICKETS=1000000 fills a new data/demo.db with a sample desk.
TICKETS ?= 1000
demo: generate
	$(GO) run ./cmd/helpline demo --tickets $(TICKETS)

# make bench: load every hot page with wrk against a million-ticket database
# on SQLite (made once into bench/, then reused), then the same pages on
# PostgreSQL with two instances of the server sharing one database, and
# write docs/BENCHMARKS.md. PostgreSQL is a throwaway cluster from
# .ci/with-postgres (so its million tickets are made again each time), or
# the server POSTGRES=postgres://user@host:port/db names, where the database
# helpline_bench_1m is made once and reused.
# make bench-postgres: only the PostgreSQL part, printed, not written.
POSTGRES ?=
bench: build bench-tools
	$(if $(POSTGRES),,.ci/with-postgres) sh -c '$(GO) run ./cmd/helpline-bench --bin $(BIN) --postgres "$(or $(POSTGRES),$$HELPLINE_TEST_POSTGRES)"'

bench-postgres: build bench-tools
	$(if $(POSTGRES),,.ci/with-postgres) sh -c '$(GO) run ./cmd/helpline-bench --bin $(BIN) --sqlite=false --postgres "$(or $(POSTGRES),$$HELPLINE_TEST_POSTGRES)"'

bench-tools:
	@command -v wrk >/dev/null 2>&1 || { echo "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
	  { echo "installing postgresql"; apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }

generate:
	$(GO) tool templ generate >/dev/null

# The Go benchmarks run once each here, so they keep compiling and working.
# Every suite runs on SQLite; when HELPLINE_TEST_POSTGRES names a PostgreSQL
# server (postgres://user@host:port/db, a role that may create databases),
# the suites that touch the database run again on it.
test: generate
	HELPLINE_TEST_ENGINE=sqlite $(GO) test -count=1 -timeout 30m ./...
	HELPLINE_TEST_ENGINE=sqlite $(GO) test -count=1 -run='^$$' -bench=. -benchtime=1x ./...
	@if [ -n "$$HELPLINE_TEST_POSTGRES" ]; then $(MAKE) --no-print-directory test-postgres-suites; fi

# The packages whose tests open a desk database.
DB_PACKAGES := ./store/... ./web/... ./jobs/... ./mail/... ./demo/... ./cmd/...

# make test-postgres: the same suites on a throwaway PostgreSQL cluster that
# .ci/with-postgres starts from Debian's postgresql package and removes after.
test-postgres: generate
	.ci/with-postgres $(MAKE) --no-print-directory test-postgres-suites

test-postgres-suites:
	HELPLINE_TEST_ENGINE=postgres $(GO) test -count=1 -timeout 30m $(DB_PACKAGES)

# make gobench: the Go benchmarks for real; the store's on a 200,000-ticket
# demo desk (HELPLINE_BENCH_TICKETS).
BENCH_TICKETS ?= 200000
gobench: generate
	HELPLINE_BENCH_TICKETS=$(BENCH_TICKETS) $(GO) test -count=1 -run='^$$' -bench=. -benchtime=2s -benchmem ./store/
	$(GO) test -count=1 -run='^$$' -bench=. -benchtime=2s -benchmem ./web/ ./views/

fmt:
	$(GO) tool templ fmt views
	gofmt -w $(GODIRS)

lint:
	@test -z "$$(gofmt -l $(GODIRS))" || { echo "gofmt needed:"; gofmt -l $(GODIRS); exit 1; }
	$(GO) vet ./...
	$(GO) tool templ fmt -fail views
	@$(GO) tool templ generate >/dev/null; \
	  stale="$$(git diff --name-only -- 'views/*_templ.go'; git ls-files --others --exclude-standard -- 'views/*_templ.go')"; \
	  test -z "$$stale" || { echo "generated files are stale or not added: $$stale"; exit 1; }
	@! $(GO) list -deps ./store/... | grep -E '^helpline/(web|views)$$' || { echo "store must not import web or views"; exit 1; }
	@! $(GO) list -deps ./desk/... | grep -E '^(helpline/(web|views|store)|database/sql|net/http)$$' || { echo "desk must know neither SQL, HTTP nor the other packages"; exit 1; }
	@! $(GO) list -deps ./jobs/... | grep -E '^helpline/web$$' || { echo "jobs must not import web"; exit 1; }
	@# Emails are pages too: mail renders them with views' templates and catalogue, but jobs itself holds no UI.
	@! $(GO) list -f '{{join .Imports "\n"}}' ./jobs/... | grep -qx 'helpline/views' || { echo "jobs must not import views"; exit 1; }
	@! $(GO) list -f '{{join .Imports "\n"}}' ./demo/... | grep -qx 'database/sql' || { echo "demo must write through the store's bulk loader, not SQL"; exit 1; }

clean:
	rm -rf bin
