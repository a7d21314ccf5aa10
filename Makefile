# Carnet. The README's two commands are `make run` and `make test`; both
# install what is missing first (.ci/deps).

SHELL   := /bin/bash
# The Go toolchain every build and test uses (go.mod names it too): go1.27.3
# carries the standard library's x509 and TLS fixes that the mail code reaches.
export GOTOOLCHAIN := go1.27.3
export PATH := $(shell go env GOPATH 2>/dev/null || echo /root/go)/bin:/usr/local/go/bin:$(PATH)
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X carnet/backend/core.Version=$(VERSION)
TAGS    := webkit2_41
DATA_DIR ?=
SHOTS   ?= $(CURDIR)/build/screenshots

.PHONY: run build cli bridge frontend deps test test-go test-fuzz test-frontend test-e2e test-desktop test-at-rest check-bindings bench fuzz vulncheck clean

# Every fuzz target, as package:Target, or package:Target:time for one that
# needs longer than FUZZTIME (a whole IMAP sync or a key derivation per
# input); a FUZZTIME given to make (make fuzz FUZZTIME=10m) applies to every
# target. Durations again since go1.27 fixed the coordinator's spurious
# "context deadline exceeded" at the end of a -fuzztime (go.dev/issue/75804).
FUZZ_TARGETS := ./backend/crm:FuzzParseCSV ./backend/crm:FuzzParseVCards ./backend/mail:FuzzParse ./backend/mail:FuzzSanitize ./backend/vault:FuzzKeyFile:20s ./backend/mail:FuzzIMAPSync:30s ./backend/vault:FuzzRestore:20s ./backend/vault:FuzzEstimatePassphrase ./backend/csvsafe:FuzzCellRoundTrip:10s
FUZZTIME ?= 15s
# Inputs tried to shrink each new corpus entry or crasher: go test's default,
# a minute each, is most of a short run for a target with slow inputs.
FUZZMINIMIZE ?= 500x

## run: install what is missing, build, start Carnet on the default data folder
run: deps build
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "No display: starting Carnet in a virtual X server (Xvfb) on :77."; \
	  (Xvfb :77 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &); sleep 1; \
	  export DISPLAY=:77; fi; \
	./build/bin/carnet $(if $(DATA_DIR),--data-dir $(DATA_DIR))

deps:
	@bash .ci/deps

## build: the production desktop binary, build/bin/carnet
build:
	wails build -tags $(TAGS) -ldflags "$(LDFLAGS)" -m -nosyncgomod -trimpath
	@echo "built build/bin/carnet"

## cli: the headless binary, without any desktop library
cli:
	CGO_ENABLED=0 go build -ldflags "$(LDFLAGS)" -o build/bin/carnet-cli .

## bridge: the services over loopback HTTP, for browser tests only
bridge:
	go build -tags bridge -o build/bin/carnet-bridge .

frontend:
	cd frontend && npm run build

## test: install what is missing, then every suite
test: deps test-go test-fuzz test-frontend build check-bindings test-e2e test-desktop test-at-rest
	@echo "All tests passed. Screenshots: $(SHOTS)"

test-go: cli
	go vet ./...
	go test -count=1 ./...
	./build/bin/carnet-cli version
	@echo "ok: the headless binary builds without cgo or WebKit"

## test-fuzz: a short run of every fuzz target (make fuzz FUZZTIME=10m for a long one)
test-fuzz fuzz:
	@for t in $(FUZZ_TARGETS); do \
	  IFS=: read -r pkg name dur <<< "$$t"; \
	  time=$(if $(filter command line environment,$(origin FUZZTIME)),$(FUZZTIME),$${dur:-$(FUZZTIME)}); \
	  echo "fuzz $$name ($$time)"; \
	  go test -run '^$$' -fuzz "^$$name$$" -fuzztime $$time -fuzzminimizetime $(FUZZMINIMIZE) $$pkg || exit 1; \
	done

test-frontend:
	cd frontend && npm run check && npm test

test-e2e: bridge
	@echo "Browser screenshots: $(SHOTS)"
	cd frontend && CARNET_SHOTS=$(SHOTS) npm run e2e

test-desktop:
	CARNET_SHOTS=$(SHOTS) go test -count=1 -tags smoke -v ./app/smoke

## test-at-rest: a whole session in the browser and the desktop window (needs make build),
## then no marker of it in any file written outside the chosen export folder
test-at-rest: bridge
	cd frontend && CARNET_SHOTS=$(SHOTS) npx playwright test --config e2e/at-rest.config.ts

## check-bindings: the committed frontend/wailsjs must match what wails build generates
check-bindings:
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git -c core.fileMode=false diff --exit-code --stat -- frontend/wailsjs || \
	  { echo "frontend/wailsjs is out of date: commit the regenerated bindings"; exit 1; }; fi

## bench: every speed and memory figure against its target, one table, also as JSON
## in build/bench/report.json (QUICK=1: a tenth of the vault, the same table, report-quick.json)
BENCH_FLAGS := -json build/bench/report.json
ifdef QUICK
BENCH_FLAGS := -quick -json build/bench/report-quick.json
endif
bench:
	go run ./cmd/carnet-bench $(BENCH_FLAGS)

## vulncheck: govulncheck over every package, the database built from the module proxy
vulncheck:
	bash .ci/vulncheck

clean:
	rm -rf build/bin build/screenshots frontend/test-results
