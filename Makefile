# NAS Playground. `make run` builds everything and serves the page; `make test` is what CI runs.
GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
WASM_EXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
# The native binary uses the AVX-512/AVX2 kernels (simd/archsimd); a plain `go build` gets the portable path.
NATIVE_ENV := GOEXPERIMENT=simd
# `make run` serves on this machine only; `make run ADDR=:8080` shares the page with the network.
ADDR      ?= 127.0.0.1:8080

.PHONY: all native wasm run serve test test-native test-race test-portable test-wasm vet bench clean mutate

all: native wasm

native:
	$(NATIVE_ENV) $(GO) build -o bin/nas ./native/cmd/nas
	$(GO) build -o bin/pagecheck ./native/cmd/pagecheck

# The page: web/ is a self-contained static site (copy it to any static host).
# *.wasm.br and *.wasm.gz beside the binaries are for hosts that send
# precompressed siblings (nas serve does); others serve the plain .wasm.
wasm:
	mkdir -p web
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o web/app.wasm ./wasm/app
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o web/engine.wasm ./wasm/engine
	$(GO) run ./native/internal/precompress web
	cp $(GOROOT)/lib/wasm/wasm_exec.js web/
	cp index.html web/
	if [ -d wasm/static ]; then cp -r wasm/static/. web/; fi

run: native wasm
	./bin/nas serve --addr $(ADDR) --dir web

serve: run

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./core/... ./wasm/...

test-native:
	$(NATIVE_ENV) $(GO) test -timeout 60m ./...

# The packages whose code runs on several goroutines at once (the kernels'
# worker pool, autograd's forks and the ops run in them), under the race
# detector (which also checks unsafe pointer arithmetic).
test-race:
	$(NATIVE_ENV) $(GO) test -race ./core/autograd ./core/internal/kernels ./core/model ./core/nn

# The portable path (what the browser runs), on this machine.
test-portable:
	$(GO) test -tags noasm ./core/...

# The core tests compiled to wasm and run under Node.
test-wasm:
	GOOS=js GOARCH=wasm $(GO) test -exec=$(WASM_EXEC) ./core/... ./wasm/engine
	GOOS=js GOARCH=wasm $(GO) build -o /dev/null ./wasm/...
	GOOS=js GOARCH=wasm $(GO) build -o /dev/null ./core/...

test: vet test-native test-race test-portable test-wasm

bench: native
	$(NATIVE_ENV) $(GO) test -run '^$$' -bench . -benchtime 1x ./core/...

# Mutation testing, not part of `make test` (slow: one build and test run per
# mutant). gremlins (pinned) mutates the covered code of each package in
# MUTATE_PKGS and reruns its tests; then the hand-written mutants of
# scripts/mutants/*.tsv (scripts/mutants.sh: second-order DARTS, the weak spots
# of issue 16, survivors of earlier runs). A subset: make mutate MUTATE_PKGS=./core/optim
GREMLINS     := github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
MUTATE_PKGS  ?= ./core/search/darts ./core/nn ./core/genotype ./core/optim
MUTATE_FLAGS ?= --workers 1 --timeout-coefficient 10

mutate:
	for p in $(MUTATE_PKGS); do nice $(GO) run $(GREMLINS) unleash $(MUTATE_FLAGS) $$p || exit 1; done
	for f in scripts/mutants/*.tsv; do nice scripts/mutants.sh $$f || exit 1; done

clean:
	rm -rf bin web
