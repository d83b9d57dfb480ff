# Every target installs what is missing first, so a fresh Debian machine needs only make.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
LDCONFIG := $(shell command -v ldconfig || echo /sbin/ldconfig)
NPM_STAMP := node_modules/.clustervm-installed
IMAGE ?= images/default.json
BENCH ?=

.PHONY: run test bench deps libunicorn gdb unicorn-c cross-gcc native typecheck lint boundaries unused

run: deps
	node emulator/cli/clustervm.mjs boot $(IMAGE)

test: deps gdb unicorn-c typecheck lint boundaries unused
	npx vitest run

typecheck: deps
	npm run --silent typecheck

lint: deps
	npm run --silent lint -- .

# Imports point down the table in architecture.mjs; no module cycles.
boundaries: deps
	npm run --silent boundaries

# Exports, files and dependencies nothing uses.
unused: deps
	npm run --silent unused

bench: deps
	BENCH_PLOTS=$(PLOTS) npx tsx tests/bench/run.ts $(BENCH)

deps: libunicorn native cross-gcc $(NPM_STAMP)

FAST_PATH := build/libclustervm-fast-path.so

# The C beside the engine (emulator/engine/fast-path.c): block quanta, DSM and channel hooks.
native: $(FAST_PATH)

$(FAST_PATH): emulator/engine/fast-path.c emulator/engine/sparc-delayed-transfer.h | unicorn-c
	mkdir -p build
	gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o $@ $< -lunicorn

libunicorn:
	@if ! $(LDCONFIG) -p | grep -q 'libunicorn\.so\.2'; then \
	  echo "installing libunicorn2 (apt-get)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libunicorn2; \
	fi

# The gdb-stub tests drive the real GNU gdb.
gdb:
	@if ! command -v gdb-multiarch >/dev/null; then \
	  echo "installing gdb-multiarch (apt-get)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gdb-multiarch; \
	fi

# tests/supervisor builds a C reproducer of a Unicorn crash against libunicorn alone.
unicorn-c:
	@if ! command -v gcc >/dev/null || [ ! -f /usr/include/unicorn/unicorn.h ]; then \
	  echo "installing gcc and libunicorn-dev (apt-get)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gcc libunicorn-dev; \
	fi

# Guest C programs: gcc for x86-64, the i686 cross gcc for x86-32, the sparc64 cross gcc
# (with -m32 -mcpu=v8 for sparc32) and their binutils.
cross-gcc:
	@if ! command -v i686-linux-gnu-gcc >/dev/null || ! command -v sparc64-linux-gnu-gcc >/dev/null || ! command -v gcc >/dev/null; then \
	  echo "installing the gcc cross compilers (apt-get)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gcc gcc-i686-linux-gnu gcc-sparc64-linux-gnu; \
	fi

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@
